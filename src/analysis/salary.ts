/**
 * Salary: the credits an employer pays the account holder, the month each pays for, and how sure
 * we are. With the session's employer names, a credit naming one of them (as whole words, in the
 * counterparty or the narration) is salary. Without them, or when none of them is found, two
 * patterns are: credits the enrichment labelled salary (or whose narration says SALARY, SAL,
 * PAYROLL), and a company paying one similar amount a month on a monthly rhythm by NEFT, IMPS,
 * RTGS or an automatic credit. Definitions in docs/insights.md ("Account-level analysis").
 */
import { addMonths, monthOf, parts, type CalendarDate } from '../lib/calendar-date.ts';
import type { EnrichedTransaction, SalaryCredit, TransactionChannel } from '../domain/insights.ts';
import { recurringNoteKey } from './recurring.ts';

/** Credits that are never salary whatever they name: money coming back or moving between the holder's own accounts. */
const NEVER_SALARY: ReadonlySet<TransactionChannel> = new Set<TransactionChannel>([
  'refund',
  'bank_interest',
  'self_transfer',
  'cash_deposit',
  'investment_cashin',
  'inward_cheque_bounce',
  'outward_cheque_bounce',
  'auto_debit_payment_bounce',
]);
const SALARY_WORDS = /\b(SALARY|SALARIES|SAL|PAYROLL|STIPEND)\b/;
/** Channels a company pays salary through (NEFT, IMPS and RTGS are `net_banking_transfer`). */
const PAYROLL_CHANNELS: ReadonlySet<TransactionChannel> = new Set<TransactionChannel>(['net_banking_transfer', 'auto_credit', 'salary']);
const BANK_TRANSFER_WORDS = /\b(NEFT|IMPS|RTGS)\b/;
/** Words that make a name a company's. */
const COMPANY_WORDS =
  /\b(LTD|LIMITED|PVT|PRIVATE|LLP|INC|CORP|CORPORATION|COMPANY|TECHNOLOGIES|TECHNOLOGY|TECH|SOLUTIONS|SERVICES|SYSTEMS|SOFTWARE|INFOTECH|INFOSYSTEMS|CONSULTING|CONSULTANCY|INDUSTRIES|ENTERPRISES|LABS|GLOBAL|INTERNATIONAL|HOSPITALS?|UNIVERSITY|COLLEGE|SCHOOL|GOVT|GOVERNMENT|TREASURY|PAYROLL)\b/;

const PATTERN_AMOUNT_TOLERANCE = 0.3;
const PATTERN_GAP_DAYS: [number, number] = [25, 35];
const PATTERN_MIN_MONTHS = 3;
/** A credit dated up to this day of the month pays for the month before. */
const LAST_DAY_PAYING_PREVIOUS_MONTH = 15;

const DAY_MS = 86_400_000;
const dayNumber = (date: CalendarDate): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/** Upper-case words separated by single spaces, padded, so ` WORD ` finds whole words. */
function wordsOf(text: string | null): string {
  return ` ${(text ?? '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim()} `;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The month a salary credit pays for, from its date alone: a credit on the 1st–15th pays for the previous month, one on the 16th or later for its own month. */
export function salaryMonthOf(date: CalendarDate): string {
  return parts(date).day <= LAST_DAY_PAYING_PREVIOUS_MONTH ? monthOf(addMonths(date, -1)) : monthOf(date);
}

/** Day `day` of the month `shift` months from `date`'s (clamped to the month's length), as a day number. */
function dueDay(date: CalendarDate, shift: number, day: number): { day: number; month: string } {
  const first = addMonths(`${monthOf(date)}-01` as CalendarDate, shift);
  const { year, month } = parts(first);
  const clamped = Math.min(day, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return { day: Date.UTC(year, month - 1, clamped) / DAY_MS, month: monthOf(first) };
}

/** The due date nearest a credit for a usual day of the month: in its own month, the one before or the one after. */
function nearestDue(date: CalendarDate, usualDay: number): { offset: number; month: string } {
  const paidOn = dayNumber(date);
  let best = { offset: Number.POSITIVE_INFINITY, month: monthOf(date) };
  for (const shift of [0, -1, 1]) {
    const due = dueDay(date, shift, usualDay);
    if (Math.abs(paidOn - due.day) < Math.abs(best.offset)) best = { offset: paidOn - due.day, month: due.month };
  }
  return best;
}

/**
 * The day of the month a salary is usually due: the day (1–31) nearest all its credits in
 * total, each measured to its nearest due date, so credits on the 30th, 1st and 2nd are due
 * around the 1st, not the 15th. The smaller day on a tie.
 */
function usualDayOf(dates: CalendarDate[]): number {
  let best = { day: 1, cost: Number.POSITIVE_INFINITY };
  for (let day = 1; day <= 31; day++) {
    const cost = dates.reduce((sum, d) => sum + Math.abs(nearestDue(d, day).offset), 0);
    if (cost < best.cost) best = { day, cost };
  }
  return best.day;
}

/**
 * The months a stream of salary credits (one employer's) pays for: each credit belongs to its
 * nearest due date on the stream's usual day; due by the 15th it pays for the month before the
 * due date's, due after for the due date's own — so a salary due on the 3rd and paid late on
 * the 10th, or early on the 31st before, is still the previous month's.
 */
function salaryMonthsOf(stream: EnrichedTransaction[]): Map<EnrichedTransaction, string> {
  const usualDay = usualDayOf(stream.map((t) => t.date));
  return new Map(
    stream.map((t) => {
      const due = nearestDue(t.date, usualDay).month;
      return [t, usualDay <= LAST_DAY_PAYING_PREVIOUS_MONTH ? monthOf(addMonths(`${due}-01` as CalendarDate, -1)) : due];
    }),
  );
}

/** Salary credits with their employer, oldest first, each given the month it pays for (per employer, see salaryMonthsOf). */
function salaryCredits(found: { t: EnrichedTransaction; employerName: string | null }[]): SalaryCredit[] {
  const streams = new Map<string | null, EnrichedTransaction[]>();
  for (const { t, employerName } of found) {
    let stream = streams.get(employerName);
    if (!stream) streams.set(employerName, (stream = []));
    stream.push(t);
  }
  const months = new Map<EnrichedTransaction, string>();
  for (const stream of streams.values()) for (const [t, month] of salaryMonthsOf(stream)) months.set(t, month);
  return found.map(({ t, employerName }) => ({ hash: t.hash, employerName, salaryMonth: months.get(t) ?? salaryMonthOf(t.date) }));
}

function canBeSalary(t: EnrichedTransaction): boolean {
  return t.type === 'credit' && t.amountPaise > 0 && !NEVER_SALARY.has(t.enrichment.channel) && t.enrichment.description !== 'neft_return';
}

function byEmployerName(credits: EnrichedTransaction[], employerNames: string[]): Map<EnrichedTransaction, string> {
  const employers = employerNames.map((name) => ({ name: name.trim(), words: wordsOf(name) })).filter((e) => e.words.trim() !== '');
  const found = new Map<EnrichedTransaction, string>();
  for (const t of credits) {
    const hay = `${wordsOf(t.enrichment.counterparty.name)}${wordsOf(t.narration)}`;
    const employer = employers.find((e) => hay.includes(e.words));
    if (employer) found.set(t, employer.name);
  }
  return found;
}

function byKeyword(t: EnrichedTransaction): boolean {
  return t.enrichment.channel === 'salary' || t.enrichment.category === 'Salary' || SALARY_WORDS.test(wordsOf(t.narration));
}

/** Company credits of one similar amount a month (the month paid for), in runs of ≥ 3 months 25–35 days apart. */
function byPattern(credits: EnrichedTransaction[]): EnrichedTransaction[] {
  const groups = new Map<string, EnrichedTransaction[]>();
  for (const t of credits) {
    // Without month names (`SAL MAR`, `SAL APR`): one employer whatever month it names.
    const note = recurringNoteKey(t.enrichment.cleanNote);
    if (!note) continue;
    const viaBank = PAYROLL_CHANNELS.has(t.enrichment.channel) || BANK_TRANSFER_WORDS.test(wordsOf(t.narration));
    if (!viaBank || !COMPANY_WORDS.test(`${wordsOf(t.enrichment.counterparty.name)}${wordsOf(note)}`)) continue;
    let group = groups.get(note);
    if (!group) groups.set(note, (group = []));
    group.push(t);
  }
  const found: EnrichedTransaction[] = [];
  for (const group of groups.values()) {
    const groupMedian = median(group.map((t) => t.amountPaise));
    // One a month — the month paid for, so a salary paid late on the 3rd and the next on the
    // 31st of one calendar month are two months' — the credit nearest the median amount.
    const perMonth = new Map<string, EnrichedTransaction>();
    for (const t of group) {
      if (Math.abs(t.amountPaise - groupMedian) > PATTERN_AMOUNT_TOLERANCE * groupMedian) continue;
      const month = salaryMonthOf(t.date);
      const held = perMonth.get(month);
      if (!held || Math.abs(t.amountPaise - groupMedian) < Math.abs(held.amountPaise - groupMedian)) perMonth.set(month, t);
    }
    const monthly = [...perMonth.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    let run: EnrichedTransaction[] = [];
    const flush = (): void => {
      if (run.length >= PATTERN_MIN_MONTHS) found.push(...run);
    };
    for (const t of monthly) {
      const previous = run[run.length - 1];
      const gap = previous ? dayNumber(t.date) - dayNumber(previous.date) : 0;
      if (previous && gap >= PATTERN_GAP_DAYS[0] && gap <= PATTERN_GAP_DAYS[1]) {
        run.push(t);
      } else {
        flush();
        run = [t];
      }
    }
    flush();
  }
  return found;
}

/**
 * How sure the salary is (0–1): 1 when an employer name from the session is found; 0.9 when
 * credits are labelled salary by their words; a company pattern alone gives 0.6 for three
 * months, 0.05 more per further month, at most 0.85. Null without salary.
 */
function confidenceOf(kind: 'employer' | 'keyword' | 'pattern' | null, patternMonths: number): number | null {
  if (kind === 'employer') return 1;
  if (kind === 'keyword') return 0.9;
  if (kind === 'pattern') return Math.min(0.85, Math.round((0.6 + 0.05 * Math.max(0, patternMonths - PATTERN_MIN_MONTHS)) * 100) / 100);
  return null;
}

/** `ts` oldest first. Credits oldest first. */
export function findSalary(ts: EnrichedTransaction[], hints: { employerNames: string[] }): { credits: SalaryCredit[]; confidence: number | null } {
  const order = new Map(ts.map((t, i) => [t, i]));
  const credits = ts.filter(canBeSalary);
  const oldestFirst = (a: EnrichedTransaction, b: EnrichedTransaction): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : (order.get(a) ?? 0) - (order.get(b) ?? 0));

  const named = byEmployerName(credits, hints.employerNames);
  if (named.size > 0) {
    const found = [...named].sort(([a], [b]) => oldestFirst(a, b)).map(([t, employerName]) => ({ t, employerName }));
    return { credits: salaryCredits(found), confidence: confidenceOf('employer', 0) };
  }
  const keyworded = credits.filter(byKeyword);
  const patterned = byPattern(credits);
  const chosen = [...new Set([...keyworded, ...patterned])].sort(oldestFirst);
  const kind = keyworded.length > 0 ? 'keyword' : patterned.length > 0 ? 'pattern' : null;
  return {
    credits: salaryCredits(chosen.map((t) => ({ t, employerName: t.enrichment.counterparty.name ?? (recurringNoteKey(t.enrichment.cleanNote) || null) }))),
    confidence: confidenceOf(kind, new Set(patterned.map((t) => salaryMonthOf(t.date))).size),
  };
}

export interface SalaryEvents {
  /** Credits paid later than the usual day of the month (see usualDayOf), by how many days. */
  delays: { hash: string; daysLate: number }[];
  /** Salary months whose total differs from the previous salary month's by more than 5%. */
  changes: { salaryMonth: string; hash: string; previousPaise: number; amountPaise: number; changePercent: number }[];
}

/** A raise or cut, not the month-to-month noise of allowances and deductions (about 1–3%). */
const CHANGE_THRESHOLD = 0.05;

/**
 * Delays and changes of a salary found by `findSalary`. A credit's due date is the usual day in
 * whichever month (its own, the one before or after) puts it nearest, so a salary usually paid
 * on the 30th and paid on the 2nd is 3 days late, not 28 days early. Needs 3 credits.
 */
export function salaryEvents(credits: SalaryCredit[], ts: EnrichedTransaction[]): SalaryEvents {
  const byHash = new Map(ts.map((t) => [t.hash, t]));
  const paid = credits.flatMap((c) => {
    const t = byHash.get(c.hash);
    return t ? [{ credit: c, t }] : [];
  });
  if (paid.length < PATTERN_MIN_MONTHS) return { delays: [], changes: [] };
  const usualDay = usualDayOf(paid.map((p) => p.t.date));
  const delays: SalaryEvents['delays'] = [];
  for (const { t } of paid) {
    const { offset } = nearestDue(t.date, usualDay);
    if (offset > 0) delays.push({ hash: t.hash, daysLate: offset });
  }
  const totals = new Map<string, { paise: number; hash: string }>();
  for (const { credit, t } of paid) {
    const held = totals.get(credit.salaryMonth);
    totals.set(credit.salaryMonth, { paise: (held?.paise ?? 0) + t.amountPaise, hash: t.hash });
  }
  const months = [...totals.keys()].sort();
  const changes: SalaryEvents['changes'] = [];
  for (let i = 1; i < months.length; i++) {
    const before = totals.get(months[i - 1] ?? '');
    const now = totals.get(months[i] ?? '');
    if (!before || !now || before.paise === 0) continue;
    const change = (now.paise - before.paise) / before.paise;
    if (Math.abs(change) > CHANGE_THRESHOLD) {
      changes.push({ salaryMonth: months[i] ?? '', hash: now.hash, previousPaise: before.paise, amountPaise: now.paise, changePercent: Math.round(change * 1000) / 10 });
    }
  }
  return { delays, changes };
}
