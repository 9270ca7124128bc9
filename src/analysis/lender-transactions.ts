/**
 * Lender transactions: EMIs and loan disbursals. A transaction is one when the enrichment
 * described it `lender_transaction` or categorised it `Loan` / `Loan Disbursed` (the rules
 * file's lender list), and every member of a recurring debit set paid by automatic debit
 * (NACH, ACH, ECS) whose note names a lender word (FINANCE, CAPITAL, LOAN, EMI, FINSERV,
 * CREDIT, …) is one too: an EMI mandate to a lender the list does not know yet. A return (an
 * EMI reversed unpaid) or a bounce charge is not one, whatever lender it names.
 */
import type { Description, EnrichedTransaction, RecurringSet, TransactionChannel } from '../domain/insights.ts';

const LENDER_WORDS =
  /\b(FINANCE|FINANCIAL|FINANCIERS?|FIN|CAPITAL|LOANS?|EMI|FINSERV|FINCORP|FINVEST|FINCAP|CREDIT|LENDING|LENDERS?|NBFC|MICROFINANCE|LEASING|HOUSING FINANCE|HOME FIN)\b/;
/** Notes that name a lender word but are not a loan: card bills and credit-card payments. */
const NOT_LOANS = /\b(CARD|CC|CREDIT CARD)\b/;

/** Returns and their charges name the lender too, but are neither an EMI paid nor a loan received. */
const RETURN_CHANNELS: ReadonlySet<TransactionChannel> = new Set<TransactionChannel>(['auto_debit_payment_bounce', 'inward_cheque_bounce', 'outward_cheque_bounce']);
const RETURN_DESCRIPTIONS: ReadonlySet<Description> = new Set<Description>(['ach_bounce_charge', 'chq_bounce_charge', 'chq_bounce_insuff_funds', 'neft_return', 'penalty_charge']);

function isLenderMandate(set: RecurringSet): boolean {
  const note = ` ${set.cleanNote.toUpperCase().replace(/[^A-Z0-9]+/g, ' ')} `;
  return set.type === 'debit' && set.channel === 'auto_debit_payment' && LENDER_WORDS.test(note) && !NOT_LOANS.test(note);
}

/** `ts` oldest first. Hashes oldest first. */
export function findLenderTransactions(ts: EnrichedTransaction[], recurring: { debit: RecurringSet[]; credit: RecurringSet[] }): string[] {
  const mandated = new Set(recurring.debit.filter(isLenderMandate).flatMap((s) => s.hashes));
  return ts
    .filter((t) => {
      const e = t.enrichment;
      if (RETURN_CHANNELS.has(e.channel) || RETURN_DESCRIPTIONS.has(e.description)) return false;
      if (e.description === 'lender_transaction' || e.category === 'Loan' || e.category === 'Loan Disbursed') return true;
      return mandated.has(t.hash) && e.description !== 'credit_card_bill';
    })
    .map((t) => t.hash);
}
