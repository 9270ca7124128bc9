/**
 * Dates as bank statements print them. Day-first only: Indian statements never put the month
 * first, and guessing per row is how other parsers move transactions between months.
 */
import type { CalendarDate } from '../../lib/calendar-date.ts';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `Jan`, `JAN`, `Sept`, `January`, `JANUARY`: an abbreviation or the whole name, any case. */
function monthNumber(text: string): number | null {
  const name = text.toLowerCase();
  const short = MONTHS[name];
  if (short) return short;
  const index = MONTH_NAMES.indexOf(name);
  return index >= 0 ? index + 1 : null;
}

/** An optional time of day after a date, 24-hour or with AM/PM. */
const TIME = '(?:\\s+\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s*[AP]M)?)?';
const NUMERIC = new RegExp(`^(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{2}|\\d{4})${TIME}$`, 'i');
const DAY_MONTH_NAME = new RegExp(`^(\\d{1,2})[\\s-]([A-Za-z]{3,9}),?[\\s-](\\d{2}|\\d{4})${TIME}$`, 'i');
const MONTH_NAME_DAY = new RegExp(`^([A-Za-z]{3,9})\\.?\\s+(\\d{1,2}),?\\s+(\\d{4})${TIME}$`, 'i');

function make(day: number, month: number, year: number): CalendarDate | null {
  if (year < 100) year += 2000;
  if (month < 1 || month > 12 || day < 1 || year < 1990 || year > 2100) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as CalendarDate;
}

/**
 * `dd/mm/yy`, `dd/mm/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, `dd Mon yyyy`, `dd-Mon-yy`,
 * `dd Mon, yyyy`, `dd-Mon-yyyy`, month names whole and in any case (`05 APRIL 2026`), and ISO
 * `yyyy-mm-dd` (year first is never ambiguous), the month's name first (`May 01 2026`); an
 * optional time after the date (24-hour or with AM/PM) is ignored.
 */
export function parseStatementDate(text: string): CalendarDate | null {
  const t = text.trim();
  let m = NUMERIC.exec(t);
  if (m) return make(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(t);
  if (m) return make(Number(m[3]), Number(m[2]), Number(m[1]));
  m = DAY_MONTH_NAME.exec(t);
  if (m) {
    const month = monthNumber(m[2]!);
    return month ? make(Number(m[1]), month, Number(m[3])) : null;
  }
  // The month's name first ("May 01 2026", "Jun 5, 2026"): never ambiguous, unlike 05/01/2026.
  m = MONTH_NAME_DAY.exec(t);
  if (m) {
    const month = monthNumber(m[1]!);
    return month ? make(Number(m[2]), month, Number(m[3])) : null;
  }
  return null;
}

/**
 * A date printed without its year (`05/04`, `05 Apr`, `05-APR`), placed in the year that puts it
 * inside the statement's period. Null without a period, or when no year does (never a guess).
 */
export function parseYearlessDate(text: string, period: { from: CalendarDate; to: CalendarDate } | null): CalendarDate | null {
  if (!period) return null;
  const t = text.trim();
  let day: number;
  let month: number | null;
  let m = /^(\d{1,2})[/.-](\d{1,2})$/.exec(t);
  if (m) {
    day = Number(m[1]);
    month = Number(m[2]);
  } else {
    m = /^(\d{1,2})[\s-]([A-Za-z]{3,9})\.?$/.exec(t);
    if (!m) return null;
    day = Number(m[1]);
    month = monthNumber(m[2]!);
  }
  if (!month) return null;
  for (let year = Number(period.from.slice(0, 4)); year <= Number(period.to.slice(0, 4)); year++) {
    const date = make(day, month, year);
    if (date && date >= period.from && date <= period.to) return date;
  }
  return null;
}
