/**
 * Fraud checks on a statement's rows as the parser read them: balances that do not chain
 * (`inconsistent_transaction`), and dates outside the statement's period, out of order, or that
 * do not exist. Each finding names the rows, with their boxes as evidence.
 */
import type { FraudEvidence, FraudFinding } from '../domain/insights.ts';
import type { ParsedStatement, PrintedTransaction } from '../domain/statement.ts';
import { formatDayMonthYear, type CalendarDate } from '../lib/calendar-date.ts';
import { transactionHash } from '../enrichment/transaction-hash.ts';

/** Findings of one type past this many are left out (a whole statement misdated would otherwise list every row). */
export const MAX_FINDINGS_PER_TYPE = 100;

/** ₹1,23,456.78 (Indian grouping), with a minus for a negative amount. */
export function rupees(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const whole = Math.floor(abs / 100).toString();
  const grouped = whole.length <= 3 ? whole : `${whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${whole.slice(-3)}`;
  return `${sign}₹${grouped}.${String(abs % 100).padStart(2, '0')}`;
}

/** "row 12 (03/06/2026, page 2)": rows are counted from 1, as an analyst reads the table. */
export function describeRow(index: number, t: PrintedTransaction): string {
  return `row ${index + 1} (${isCalendarDate(t.date) ? formatDayMonthYear(t.date) : t.date}, page ${t.page})`;
}

export function rowEvidence(statementId: string, index: number, t: PrintedTransaction): FraudEvidence {
  return { kind: 'box', statementId, page: t.page, bbox: t.bbox, transactionHash: transactionHash(statementId, index + 1) };
}

/** The debit and credit totals the statement prints, against what its rows add up to. */
export function totalsFindings(parsed: ParsedStatement, statementId: string): FraudFinding[] {
  const printed = parsed.printedTotals;
  if (!printed) return [];
  const sum = (type: 'debit' | 'credit') => parsed.transactions.filter((t) => t.type === type).reduce((total, t) => total + t.amountPaise, 0);
  const debits = sum('debit');
  const credits = sum('credit');
  if (debits === printed.debitPaise && credits === printed.creditPaise) return [];
  const wrong = [
    ...(debits === printed.debitPaise ? [] : [`debits ${rupees(printed.debitPaise)} while its ${parsed.transactions.filter((t) => t.type === 'debit').length} debits add up to ${rupees(debits)}`]),
    ...(credits === printed.creditPaise ? [] : [`credits ${rupees(printed.creditPaise)} while its ${parsed.transactions.filter((t) => t.type === 'credit').length} credits add up to ${rupees(credits)}`]),
  ];
  return [
    {
      fraudType: 'totals_mismatch',
      fraudCategory: 'accounting',
      statementId,
      transactionHash: null,
      reason: `The statement prints total ${wrong.join(', and total ')} (the total line on page ${printed.page}).`,
      evidence: [{ kind: 'box', statementId, page: printed.page, bbox: printed.bbox, transactionHash: null }],
    },
  ];
}

/** Every row whose printed balance is not the balance before it ± its amount, naming both rows. */
export function balanceBreakFindings(parsed: ParsedStatement, statementId: string): FraudFinding[] {
  const findings: FraudFinding[] = [];
  const rows = parsed.transactions;
  /** The balance after the last row that printed one (or the opening balance), carried through rows that print none. */
  let running = parsed.openingBalancePaise;
  let lastPrinted = -1;
  const breaks = new Set<number>();
  for (const [i, t] of rows.entries()) {
    const signed = t.type === 'credit' ? t.amountPaise : -t.amountPaise;
    if (t.balancePaise === null) {
      running = running === null ? null : running + signed;
      continue;
    }
    if (running !== null && running + signed !== t.balancePaise) {
      breaks.add(i);
      if (findings.length < MAX_FINDINGS_PER_TYPE) findings.push(breakFinding(parsed, statementId, lastPrinted, i, running + signed));
    }
    running = t.balancePaise;
    lastPrinted = i;
  }
  // The parser's own first break, should its reading differ from this one's.
  const first = parsed.reconciliation.firstBreak;
  if (first && !breaks.has(first.index) && rows[first.index]) {
    const before = rows.slice(0, first.index).findLastIndex((t) => t.balancePaise !== null);
    findings.unshift(breakFinding(parsed, statementId, before, first.index, first.expectedBalancePaise));
  }
  return findings;
}

function breakFinding(parsed: ParsedStatement, statementId: string, previous: number, index: number, expected: number): FraudFinding {
  const t = parsed.transactions[index]!;
  const between = index - previous - 1;
  const movement = `${t.type === 'credit' ? 'plus its credit' : 'less its debit'} of ${rupees(t.amountPaise)}${between > 0 ? ` and the ${between} row${between > 1 ? 's' : ''} between them` : ''}`;
  const evidence: FraudEvidence[] = [];
  let reason: string;
  if (previous >= 0) {
    const p = parsed.transactions[previous]!;
    evidence.push(rowEvidence(statementId, previous, p));
    reason =
      `The balance does not chain from ${describeRow(previous, p)} to ${describeRow(index, t)}: ` +
      `${rupees(p.balancePaise!)} ${movement} makes ${rupees(expected)}, but ${rupees(t.balancePaise!)} is printed.`;
  } else {
    reason =
      `The balance does not chain from the opening balance to ${describeRow(index, t)}: ` +
      `${rupees(parsed.openingBalancePaise ?? 0)} ${movement} makes ${rupees(expected)}, but ${rupees(t.balancePaise!)} is printed.`;
  }
  evidence.push(rowEvidence(statementId, index, t));
  return { fraudType: 'inconsistent_transaction', fraudCategory: 'accounting', statementId, transactionHash: transactionHash(statementId, index + 1), reason, evidence };
}

/** Whether `date` is a real `YYYY-MM-DD` day. */
export function isCalendarDate(date: string): date is CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Rows on days that do not exist, outside the period the statement states, or out of date order. */
export function dateFindings(parsed: ParsedStatement, statementId: string): FraudFinding[] {
  const rows = parsed.transactions;
  const impossible: FraudFinding[] = [];
  const outside: FraudFinding[] = [];
  const disorder: FraudFinding[] = [];
  const hash = (i: number) => transactionHash(statementId, i + 1);
  for (const [i, t] of rows.entries()) {
    const printed: string = t.date;
    if (!isCalendarDate(printed)) {
      if (impossible.length < MAX_FINDINGS_PER_TYPE) {
        impossible.push({
          fraudType: 'impossible_date',
          fraudCategory: 'date',
          statementId,
          transactionHash: hash(i),
          reason: `Row ${i + 1} (page ${t.page}) is dated ${printed}, a day that does not exist.`,
          evidence: [rowEvidence(statementId, i, t)],
        });
      }
      continue;
    }
    const period = parsed.period;
    if (period && (t.date < period.from || t.date > period.to) && outside.length < MAX_FINDINGS_PER_TYPE) {
      outside.push({
        fraudType: 'transaction_outside_period',
        fraudCategory: 'date',
        statementId,
        transactionHash: hash(i),
        reason:
          `${capitalise(describeRow(i, t))} is dated ${formatDayMonthYear(t.date)}, ${t.date < period.from ? 'before' : 'after'} the statement's period ` +
          `(${formatDayMonthYear(period.from)} to ${formatDayMonthYear(period.to)}).`,
        evidence: [rowEvidence(statementId, i, t)],
      });
    }
  }
  // The order the table keeps: the parser turns a newest-first table oldest first only when every
  // row follows that order, so a newest-first table with one row out of place arrives newest first.
  let rising = 0;
  let falling = 0;
  const dated = rows.map((t, i) => ({ t, i })).filter(({ t }) => isCalendarDate(t.date));
  for (let k = 1; k < dated.length; k++) {
    if (dated[k]!.t.date > dated[k - 1]!.t.date) rising++;
    else if (dated[k]!.t.date < dated[k - 1]!.t.date) falling++;
  }
  const newestFirst = falling > rising;
  for (let k = 1; k < dated.length && disorder.length < MAX_FINDINGS_PER_TYPE; k++) {
    const { t, i } = dated[k]!;
    const { t: p, i: pi } = dated[k - 1]!;
    const wrong = newestFirst ? t.date > p.date : t.date < p.date;
    if (!wrong) continue;
    disorder.push({
      fraudType: 'transaction_out_of_order',
      fraudCategory: 'date',
      statementId,
      transactionHash: hash(i),
      reason:
        `${capitalise(describeRow(i, t))} is dated ${formatDayMonthYear(t.date)}, ${newestFirst ? 'after' : 'before'} ${describeRow(pi, p)} printed above it, ` +
        `in a table otherwise in ${newestFirst ? 'newest-first' : 'date'} order.`,
      evidence: [rowEvidence(statementId, pi, p), rowEvidence(statementId, i, t)],
    });
  }
  return [...impossible, ...outside, ...disorder];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
