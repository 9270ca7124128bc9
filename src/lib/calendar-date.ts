/**
 * The one internal date type: a calendar date with no time zone, held as an ISO `YYYY-MM-DD`
 * string (which sorts and compares correctly as text, and is what PostgreSQL's `date` gives back).
 * Wire formats (`DD/MM/YYYY`, `YYYY-MM`) are produced only at the edge through the formatters here.
 */
export type CalendarDate = string & { readonly __brand: 'CalendarDate' };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function make(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as CalendarDate;
}

export function parts(date: CalendarDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Parses `DD/MM/YYYY`; returns null for anything else, including dates that do not exist. */
export function parseDayMonthYear(text: string): CalendarDate | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return make(year, month, day);
}

export function formatDayMonthYear(date: CalendarDate): string {
  const { year, month, day } = parts(date);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/** Moves by whole calendar months, clamping the day (31 Aug − 6 months = 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return make(y, m, Math.min(day, daysInMonth(y, m)));
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const { year, month, day } = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10) as CalendarDate;
}

/** `YYYY-MM` labels of every calendar month from `from` to `to`, both included. */
export function monthsBetween(from: CalendarDate, to: CalendarDate): string[] {
  const a = parts(from);
  const b = parts(to);
  const out: string[] = [];
  for (let i = a.year * 12 + a.month - 1; i <= b.year * 12 + b.month - 1; i++) {
    out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** Today's date in the given IANA time zone. */
export function today(now: Date, timeZone: string): CalendarDate {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return fmt.format(now) as CalendarDate;
}

/** Parses `YYYY-MM-DD`; null for anything else, including dates that do not exist. */
export function parseIsoDate(text: string): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? parseDayMonthYear(`${m[3]}/${m[2]}/${m[1]}`) : null;
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, Number(x.value)])) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the date begins in the given IANA time zone. */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  const { year, month, day } = parts(date);
  const midnightUtc = Date.UTC(year, month - 1, day);
  const guess = midnightUtc - zoneOffsetMs(new Date(midnightUtc), timeZone);
  // Where the offset changes between the guess and midnight (a DST switch), the second look is right.
  return new Date(midnightUtc - zoneOffsetMs(new Date(guess), timeZone));
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `YYYY-MM` of a date. */
export function monthOf(date: CalendarDate): string {
  return date.slice(0, 7);
}

/** `2025-08` → `Aug-2025` (monthly analysis keys, salary months). */
export function formatMonthLong(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]}-${month.slice(0, 4)}`;
}

/** `2025-08` → `Aug-25` (EOD balance months, top credits and debits, predictor months). */
export function formatMonthShort(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]}-${month.slice(2, 4)}`;
}

/** `2025-08-14` → `14-Aug-25`. */
export function formatDayMonthShort(date: CalendarDate): string {
  return `${date.slice(8, 10)}-${formatMonthShort(monthOf(date))}`;
}

/** The number of days in a `YYYY-MM` month. */
export function daysInMonthOf(month: string): number {
  return daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
}
