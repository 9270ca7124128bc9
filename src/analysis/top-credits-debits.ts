/**
 * Top credits and debits: for every month with transactions, the five largest debits and the
 * five largest credits by amount (equal amounts: the earlier transaction first), by hash.
 */
import { monthOf } from '../lib/calendar-date.ts';
import type { AccountAnalysis, EnrichedTransaction } from '../domain/insights.ts';
import type { AnalysisInput } from './analysis-input.ts';

const TOP = 5;

function largest(ts: EnrichedTransaction[]): string[] {
  // The input is oldest first and Array.prototype.sort is stable, so ties keep that order.
  return [...ts].sort((a, b) => b.amountPaise - a.amountPaise).slice(0, TOP).map((t) => t.hash);
}

export function topCreditsDebits(input: AnalysisInput): AccountAnalysis['topCreditsDebits'] {
  const byMonth = new Map<string, EnrichedTransaction[]>();
  for (const t of input.transactions) {
    const month = monthOf(t.date);
    let list = byMonth.get(month);
    if (!list) byMonth.set(month, (list = []));
    list.push(t);
  }
  return [...byMonth.keys()].sort().map((month) => {
    const ts = byMonth.get(month) ?? [];
    return {
      month,
      debits: largest(ts.filter((t) => t.type === 'debit')),
      credits: largest(ts.filter((t) => t.type === 'credit')),
    };
  });
}
