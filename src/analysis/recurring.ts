/**
 * Recurring transactions: sets of debits or credits to or from the same counterparty (same
 * side, clean note and channel) that repeat on a steady rhythm with similar amounts — rent,
 * subscriptions, EMIs, SIPs, a salary, a weekly transfer.
 *
 * Grouped by the clean note without month names and numbers (`RENT APR`, `RENT MAY` are one
 * landlord), which is the set's note. A set: the members of a group whose amount is within ±20% of the group's median amount
 * (identical amounts always are), taken in date order, in an unbroken run where every gap to
 * the next member is monthly (25–36 days: a month ± 5 days; one member may be off by more when
 * the two gaps around it add up to 55–66 days) or every gap is weekly (6–8 days); the run has
 * at least 3 members in at least 3 distinct calendar months. A member off the rhythm (a second
 * payment in the same week, a missed month) ends the run. Cash withdrawals and deposits are
 * never recurring sets (their note is a place).
 */
import { monthOf, type CalendarDate } from '../lib/calendar-date.ts';
import type { EnrichedTransaction, RecurringSet, TransactionChannel } from '../domain/insights.ts';

/** Cash at an ATM or a branch: the note is a place, not a counterparty paid or paying again. */
const NOT_RECURRING: ReadonlySet<TransactionChannel> = new Set<TransactionChannel>(['cash_withdrawl', 'cash_deposit']);
const AMOUNT_TOLERANCE = 0.2;
/** A month ± 5 days. */
const MONTHLY_GAP_DAYS: [number, number] = [25, 36];
/** One payment early or late: the gaps either side of it add up to two months ± 5 days. */
const SHIFTED_GAP_DAYS: [number, number] = [15, 45];
const SHIFTED_PAIR_DAYS: [number, number] = [55, 66];
const WEEKLY_GAP_DAYS: [number, number] = [6, 8];
const MIN_MEMBERS = 3;
const MIN_MONTHS = 3;

const DAY_MS = 86_400_000;
const dayNumber = (date: CalendarDate): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const within = (days: number, [low, high]: [number, number]): boolean => days >= low && days <= high;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/**
 * The unbroken runs of date-ordered members on one rhythm. Monthly: each gap a month ± 5 days,
 * except that one member may be early or late by up to about two weeks when the gaps either
 * side of it still add up to two months ± 5 days (a salary paid a week late stays in its set).
 * Weekly: each gap 6–8 days.
 */
function rhythmicRuns(members: EnrichedTransaction[], rhythm: 'monthly' | 'weekly'): EnrichedTransaction[][] {
  const gaps = members.slice(1).map((t, i) => dayNumber(t.date) - dayNumber(members[i]?.date ?? t.date));
  const runs: EnrichedTransaction[][] = [];
  let run: EnrichedTransaction[] = members.slice(0, 1);
  for (let k = 0; k < gaps.length; ) {
    const gap = gaps[k] ?? 0;
    const nextGap = gaps[k + 1];
    const onRhythm = rhythm === 'weekly' ? within(gap, WEEKLY_GAP_DAYS) : within(gap, MONTHLY_GAP_DAYS);
    // The next member early or late: it and the one after it join together (checked before a
    // merely monthly gap, so a payment 6 days late does not end the run at the gap after it).
    const shifted =
      rhythm === 'monthly' && nextGap !== undefined && !(onRhythm && within(nextGap, MONTHLY_GAP_DAYS)) && within(gap, SHIFTED_GAP_DAYS) && within(nextGap, SHIFTED_GAP_DAYS) && within(gap + nextGap, SHIFTED_PAIR_DAYS);
    if (shifted) {
      run.push(...members.slice(k + 1, k + 3));
      k += 2;
    } else if (onRhythm) {
      run.push(...members.slice(k + 1, k + 2));
      k += 1;
    } else {
      // Off the rhythm: the run ends and the member starts the next one (never shared).
      runs.push(run);
      run = members.slice(k + 1, k + 2);
      k += 1;
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

const qualifies = (run: EnrichedTransaction[]): boolean => run.length >= MIN_MEMBERS && new Set(run.map((t) => monthOf(t.date))).size >= MIN_MONTHS;

/** Sets within an already-grouped, date-ordered list of one side, channel and note: monthly runs, then weekly runs of the members left. */
function recurringRuns(members: EnrichedTransaction[]): EnrichedTransaction[][] {
  if (members.length < MIN_MEMBERS) return [];
  const groupMedian = median(members.map((t) => t.amountPaise));
  const similar = members.filter((t) => Math.abs(t.amountPaise - groupMedian) <= AMOUNT_TOLERANCE * groupMedian);
  const monthly = rhythmicRuns(similar, 'monthly').filter(qualifies);
  const taken = new Set(monthly.flat());
  const weekly = rhythmicRuns(similar.filter((t) => !taken.has(t)), 'weekly').filter(qualifies);
  return [...monthly, ...weekly];
}

const MONTH_WORDS = new Set(
  'JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC JANUARY FEBRUARY MARCH APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER'.split(' '),
);

/**
 * The counterparty words a set is grouped by: the clean note without month names and without
 * words with digits, which change from one payment to the next (`RENT APR 2026`, `SAL MAR`).
 */
export function recurringNoteKey(cleanNote: string): string {
  return cleanNote
    .toUpperCase()
    .split(/[^A-Z0-9&]+/)
    .filter((w) => w !== '' && !/\d/.test(w) && !MONTH_WORDS.has(w))
    .join(' ');
}

/** `ts` oldest first. Sets sorted by start date (then note); members oldest first. */
export function findRecurring(ts: EnrichedTransaction[]): { debit: RecurringSet[]; credit: RecurringSet[] } {
  const groups = new Map<string, EnrichedTransaction[]>();
  const notes = new Map<EnrichedTransaction, string>();
  for (const t of ts) {
    if (NOT_RECURRING.has(t.enrichment.channel) || t.amountPaise <= 0) continue;
    const note = recurringNoteKey(t.enrichment.cleanNote);
    if (!note) continue;
    notes.set(t, note);
    const key = `${t.type}\u0000${t.enrichment.channel}\u0000${note}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(t);
  }
  const sets: RecurringSet[] = [];
  for (const group of groups.values()) {
    // Stable by date, so rows of one day keep the statement's order.
    const ordered = [...group].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const run of recurringRuns(ordered)) {
      const first = run[0];
      const last = run[run.length - 1];
      if (!first || !last) continue;
      sets.push({
        type: first.type,
        channel: first.enrichment.channel,
        cleanNote: notes.get(first) ?? '',
        medianPaise: median(run.map((t) => t.amountPaise)),
        startDate: first.date,
        endDate: last.date,
        hashes: run.map((t) => t.hash),
      });
    }
  }
  sets.sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.cleanNote.localeCompare(b.cleanNote)));
  return { debit: sets.filter((s) => s.type === 'debit'), credit: sets.filter((s) => s.type === 'credit') };
}
