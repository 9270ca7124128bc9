/**
 * End-of-day balances: the account's balance at the end of every calendar day from the first
 * transaction's day to the last's. A day without transactions carries the previous day's
 * balance. The balance is the one the statement prints (the day's last row); rows without a
 * printed balance are run from the previous balance (or the opening balance) by their amounts.
 */
import { addDays, type CalendarDate } from '../lib/calendar-date.ts';
import type { AccountAnalysis, EnrichedTransaction } from '../domain/insights.ts';

const signed = (t: EnrichedTransaction): number => (t.type === 'credit' ? t.amountPaise : -t.amountPaise);

/**
 * The balance before the first transaction: the opening balance when the statements print one,
 * else worked back from the first printed balance by the amounts of the rows up to it; null
 * when no balance is printed anywhere.
 */
function startingBalance(ts: EnrichedTransaction[], openingBalancePaise: number | null): number | null {
  if (openingBalancePaise !== null) return openingBalancePaise;
  let moved = 0;
  for (const t of ts) {
    moved += signed(t);
    if (t.balancePaise !== null) return t.balancePaise - moved;
  }
  return null;
}

/** `ts` oldest first (the account's transactions). Null without transactions or without any balance to start from. */
export function eodBalances(ts: EnrichedTransaction[], openingBalancePaise: number | null): AccountAnalysis['eodBalances'] {
  if (ts.length === 0) return null;
  const start = startingBalance(ts, openingBalancePaise);
  if (start === null) return null;
  // The balance after each row: printed where printed, else run on from the row before.
  const endOfDay = new Map<CalendarDate, number>();
  let running = start;
  for (const t of ts) {
    running = t.balancePaise ?? running + signed(t);
    endOfDay.set(t.date, running);
  }
  const dates = [...endOfDay.keys()].sort();
  const first = dates[0];
  const last = dates[dates.length - 1];
  if (first === undefined || last === undefined) return null;
  const days: { date: CalendarDate; balancePaise: number }[] = [];
  let carried = start;
  for (let day = first; day <= last; day = addDays(day, 1)) {
    carried = endOfDay.get(day) ?? carried;
    days.push({ date: day, balancePaise: carried });
  }
  return { startingBalancePaise: start, days };
}
