/**
 * Each transaction explained: the first rule of the rules file that matches its narration on
 * its side gives the channel, description, merchant category and category; then
 *   - a merchant word (merchants.json) gives the merchant category when the rule gives none;
 *   - a known lender with loan words or a mandate (lenders.json) makes an EMI (debit,
 *     `lender_transaction`, category `Loan`) or a disbursal (credit, `Loan Disbursed`);
 *   - a UPI or bank transfer to or from a person is described `Transfer to <NAME>` /
 *     `Transfer from <NAME>`;
 *   - a narration no rule knows is a cheque when the row has a cheque number, else `Others`.
 * Account-level refinements (salary by rhythm, self transfers by the holder's names) are the
 * analysis's, not this file's.
 */
import type { StoredTransaction } from '../domain/statement.ts';
import type {
  Counterparty,
  Description,
  EnrichedTransaction,
  MerchantCategory,
  TransactionChannel,
  TransactionEnrichment,
} from '../domain/insights.ts';
import { isPersonName, cleanNote, parseCounterparty } from './counterparty.ts';
import { lenderIn } from './lenders.ts';
import type { CompiledRule, NarrationRules } from './narration-rules.ts';
import { transactionHash } from './transaction-hash.ts';

const LOAN_WORDS = /\b(?:EMI|LOAN|LN|LOAN A\/C|LOAN AC|REPAYMENT|INSTALMENT|INSTALLMENT|DISB|DISBURSAL|DISBURSEMENT|DISBURSED|PRINCIPAL)\b/i;
const HANDLE_DOMAIN = /@[A-Z0-9.-]+/gi;
/** Words that make a credit a disbursal whoever pays it (the holder's own bank, an unlisted lender). */
const DISBURSED_WORDS = /\b(?:DISB|DISBURSAL|DISBURSEMENT|DISBURSED|LOAN DISB)\b/i;
const DISBURSAL_WORDS = /\b(?:DISB|DISBURSAL|DISBURSEMENT|DISBURSED|LOAN)\b/i;

/** Channels on which a lender in the narration means an EMI or a disbursal (not a charge, bounce, refund or investment). */
const LENDER_CHANNELS = new Set<TransactionChannel>(['auto_debit_payment', 'net_banking_transfer', 'upi', 'chq', 'Others', 'payment_gateway_purchase', 'auto_credit', 'demand_draft']);
/** Channels on which the named counterparty is someone paid or paying (not a place or a bank). */
const TRANSFER_CHANNELS = new Set<TransactionChannel>(['upi', 'net_banking_transfer', 'chq']);
/** Channels whose narration names no counterparty (an ATM's place, the bank itself). */
const NO_COUNTERPARTY_NAME = new Set<TransactionChannel>(['cash_withdrawl', 'cash_deposit', 'bank_interest', 'bank_charge']);

const CATEGORY_OF_MERCHANT: Record<MerchantCategory, string> = {
  alcohol: 'Alcohol',
  gambling: 'Gambling',
  shopping: 'Shopping',
  groceries: 'Groceries',
  entertainment: 'Entertainment',
  medical: 'Medical',
  travel: 'Travel',
  food: 'Food',
  fuel: 'Fuel',
  investments: 'Investments',
  trading: 'Investments',
  bills: 'Utilities',
  ewallet: 'Ewallet',
  loans: 'Loan',
  insurance: 'Insurance',
  tax: 'Tax',
  bnpl: 'Loan',
};

/** Underscores as spaces and runs of spaces as one: how rules see a narration. */
function ruleText(narration: string): string {
  const spaced = narration.includes('_') ? narration.replace(/_/g, ' ') : narration;
  return /\s\s|^\s|\s$|[\t\n\r]/.test(spaced) ? spaced.replace(/\s+/g, ' ').trim() : spaced;
}

function firstRule(text: string, rules: readonly CompiledRule[]): CompiledRule | null {
  for (const rule of rules) if (rule.regex.test(text)) return rule;
  return null;
}

function merchantIn(text: string, rules: NarrationRules): MerchantCategory | '' {
  const match = rules.merchants.regex?.exec(text);
  if (!match) return '';
  return rules.merchants.categoryOf.get(match[0].toUpperCase().replace(/\s+/g, ' ').replace(/\s*\/\s*/g, '/')) ?? '';
}

/** What one transaction is, from its narration, side and cheque number. */
export function enrichTransaction(t: StoredTransaction, rules: NarrationRules): TransactionEnrichment {
  const text = ruleText(t.narration);
  // A UPI handle's bank part (`@paytm`, `@ybl`) names the payer's app, not the merchant or lender.
  const wordsText = text.includes('@') ? text.replace(HANDLE_DOMAIN, ' ') : text;
  const rule = firstRule(text, rules.rulesFor[t.type]);
  let channel: TransactionChannel = rule?.channel ?? (t.chqNum ? 'chq' : 'Others');
  let description: Description = rule?.description ?? '';
  let merchantCategory: MerchantCategory | '' = rule?.merchantCategory || merchantIn(wordsText, rules);
  let category = rule?.category ?? '';
  const counterparty: Counterparty = parseCounterparty(t.narration);
  if (!counterparty.chequeNumber && t.chqNum && /^\d{4,}$/.test(t.chqNum.trim())) counterparty.chequeNumber = t.chqNum.trim();
  if (NO_COUNTERPARTY_NAME.has(channel)) counterparty.name = null;

  if (description === '' && LENDER_CHANNELS.has(channel)) {
    const lender = lenderIn(wordsText, rules);
    const loanWords = LOAN_WORDS.test(text);
    const isLoan =
      t.type === 'debit'
        ? (lender !== null && (lender.kind === 'nbfc' || channel === 'auto_debit_payment' || loanWords)) || /\b(?:EMI|LOAN)\b/i.test(text)
        : (lender !== null && (lender.kind === 'nbfc' || DISBURSAL_WORDS.test(text))) || DISBURSED_WORDS.test(text);
    if (isLoan) {
      description = 'lender_transaction';
      merchantCategory = 'loans';
      category = t.type === 'debit' ? 'Loan' : 'Loan Disbursed';
      if (lender) counterparty.name = lender.name.toUpperCase();
      // A loan movement no rule names is an EMI collected or a disbursal paid in.
      if (channel === 'Others') channel = t.type === 'debit' ? 'auto_debit_payment' : 'net_banking_transfer';
    }
  }

  if (description === '' && merchantCategory === '' && TRANSFER_CHANNELS.has(channel) && counterparty.name && isPersonName(counterparty.name)) {
    description = t.type === 'debit' ? `Transfer to ${counterparty.name}` : `Transfer from ${counterparty.name}`;
    if (category === '') category = description;
  }
  if (category === '') category = merchantCategory ? CATEGORY_OF_MERCHANT[merchantCategory] : 'Others';

  return { channel, description, merchantCategory, category, counterparty, cleanNote: cleanNote(t.narration), ruleId: rule?.id ?? null };
}

/** Every transaction with its hash and enrichment, in the order given. */
export function enrichTransactions(ts: StoredTransaction[], rules: NarrationRules): EnrichedTransaction[] {
  // Fields listed, not spread: a spread copy costs as much as the hash here (16,000 rows), and a
  // required field added to StoredTransaction fails to compile here rather than going missing.
  return ts.map((t) => ({
    date: t.date,
    narration: t.narration,
    chqNum: t.chqNum,
    type: t.type,
    amountPaise: t.amountPaise,
    balancePaise: t.balancePaise,
    page: t.page,
    bbox: t.bbox,
    statementId: t.statementId,
    seq: t.seq,
    fipTransactionId: t.fipTransactionId ?? null,
    reference: t.reference ?? null,
    hash: transactionHash(t.statementId, t.seq),
    enrichment: enrichTransaction(t, rules),
  }));
}
