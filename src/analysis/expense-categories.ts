/**
 * Expense categories: how the account's debits split by what they were spent on, as integer
 * percentages of the debited amount that sum to exactly 100 (largest-remainder rounding).
 */
import type { AccountAnalysis, EnrichedTransaction } from '../domain/insights.ts';
import type { AnalysisInput } from './analysis-input.ts';

/**
 * The category a debit is counted under: its merchant category when the enrichment found one
 * (`groceries` → `Groceries`), else its category, with every `Transfer to <NAME>` counted as
 * `Transfers` (one line per payee would say nothing) and an empty one as `Others`.
 */
export function expenseCategoryOf(t: EnrichedTransaction): string {
  const merchant = t.enrichment.merchantCategory;
  if (merchant) return merchant.charAt(0).toUpperCase() + merchant.slice(1);
  const category = t.enrichment.category.trim();
  if (/^Transfer (to|from)\b/i.test(category)) return 'Transfers';
  return category || 'Others';
}

export function expenseCategories(input: AnalysisInput): AccountAnalysis['expenseCategories'] {
  return expenseCategoriesOf(input.transactions);
}

/** The split of any set of debits: one account's, or every account of an entity together. */
export function expenseCategoriesOf(transactions: readonly EnrichedTransaction[]): AccountAnalysis['expenseCategories'] {
  const amounts = new Map<string, number>();
  let total = 0;
  for (const t of transactions) {
    if (t.type !== 'debit' || t.amountPaise <= 0) continue;
    const category = expenseCategoryOf(t);
    amounts.set(category, (amounts.get(category) ?? 0) + t.amountPaise);
    total += t.amountPaise;
  }
  if (total === 0) return [];
  // Largest remainder: every category gets the whole part of its share; the points left over
  // go to the largest fractional parts (ties: the larger amount, then the name).
  const shares = [...amounts].map(([category, paise]) => {
    // In integers (paise × 100 stays far below 2^53), so equal shares tie exactly.
    const remainder = (paise * 100) % total;
    return { category, paise, percentage: (paise * 100 - remainder) / total, remainder };
  });
  let left = 100 - shares.reduce((sum, s) => sum + s.percentage, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || b.paise - a.paise || a.category.localeCompare(b.category));
  for (const s of byRemainder) {
    if (left <= 0) break;
    s.percentage += 1;
    left -= 1;
  }
  return shares
    .sort((a, b) => b.percentage - a.percentage || b.paise - a.paise || a.category.localeCompare(b.category))
    .map(({ category, percentage }) => ({ category, percentage }));
}
