/**
 * The enrichment's labels, refined by what the account's analysis found: a credit the salary
 * rule found is salary whatever its narration's channel; an EMI found by its mandate is a lender
 * transaction; a transfer to the holder's own account is a self transfer. Returns new objects
 * (a relabelled one with its own enrichment); the enriched transactions given are never changed.
 *
 * A transaction found by two rules keeps the first of: salary, lender, self transfer.
 */
import type { EnrichedTransaction, TransactionEnrichment } from '../domain/insights.ts';

export interface AnalysisFindings {
  salaryHashes: ReadonlySet<string>;
  lenderHashes: ReadonlySet<string>;
  selfAndSisterHashes: ReadonlySet<string>;
}

function refined(t: EnrichedTransaction, found: AnalysisFindings): Partial<TransactionEnrichment> | null {
  if (found.salaryHashes.has(t.hash)) return { channel: 'salary', category: 'Salary' };
  if (found.lenderHashes.has(t.hash)) return { description: 'lender_transaction', category: t.type === 'debit' ? 'Loan' : 'Loan Disbursed' };
  if (found.selfAndSisterHashes.has(t.hash)) return { channel: 'self_transfer', description: 'self_transfer', category: 'Self Transfer' };
  return null;
}

export function refineEnrichment(ts: EnrichedTransaction[], found: AnalysisFindings): EnrichedTransaction[] {
  return ts.map((t) => {
    const change = refined(t, found);
    return change ? { ...t, enrichment: { ...t.enrichment, counterparty: { ...t.enrichment.counterparty }, ...change } } : { ...t };
  });
}
