/** How statements print dates and amounts, shared by the layouts. */
import type { CalendarDate } from '../../lib/calendar-date.ts';
import { formatIndian } from '../../domain/money.ts';

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 05/01/24 */
export const ddmmyy = (d: CalendarDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(2, 4)}`;
/** 5 Jan 2024 */
export const dMonYyyy = (d: CalendarDate) => `${Number(d.slice(8, 10))} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
/** 1,09,550.00 Cr / 2,500.00 Dr */
export const drCr = (paise: number) => `${formatIndian(Math.abs(paise))} ${paise < 0 ? 'Dr' : 'Cr'}`;
/** 05/01/2024 */
export { formatDayMonthYear as ddmmyyyySlashed } from '../../lib/calendar-date.ts';
/** 05-01-2024 */
export const ddmmyyyyDashed = (d: CalendarDate) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
/** 05-Jan-24 */
export const ddMonYy = (d: CalendarDate) => `${d.slice(8, 10)}-${MONTHS[Number(d.slice(5, 7)) - 1]}-${d.slice(2, 4)}`;
/** 05 Jan 2024 */
export const ddMonYyyy = (d: CalendarDate) => `${d.slice(8, 10)} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
/** Sample accounts carry no customer id; a stable one derived from the account number stands in. */
export const customerId = (accountNumber: string) => [...accountNumber.slice(-9)].reverse().join('');
/** 05-Jan-2024 */
export const ddMonYyyyDashed = (d: CalendarDate) => `${d.slice(8, 10)}-${MONTHS[Number(d.slice(5, 7)) - 1]}-${d.slice(0, 4)}`;
/** Jan 05 2024: month first, which only a month name makes unambiguous */
export const monDdYyyy = (d: CalendarDate) => `${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(8, 10)} ${d.slice(0, 4)}`;
/** 109550.00: no digit grouping (PNB ONE prints amounts and balances so) */
export const plainAmount = (paise: number) => `${paise < 0 ? '-' : ''}${Math.floor(Math.abs(paise) / 100)}.${String(Math.abs(paise) % 100).padStart(2, '0')}`;
/** An amount with the bank's Cr/Dr words after it: `marked(' ', 'Cr.', 'Dr.')` prints `1,09,550.00 Cr.` */
export const marked =
  (separator: string, credit: string, debit: string, format: (paise: number) => string = formatIndian) =>
  (paise: number) =>
    `${format(Math.abs(paise))}${separator}${paise < 0 ? debit : credit}`;
/** A time of day for the `serial`-th row (posting times vary; the same row always gets the same one). */
export const clockTime = (serial: number) => {
  const minutes = (9 * 60 + serial * 37) % (24 * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:${String((serial * 13) % 60).padStart(2, '0')}`;
};

/** The same time on a 12-hour clock without seconds: `09:37 AM`. */
export const clockTime12 = (serial: number) => {
  const [hours, minutes] = clockTime(serial).split(':').map(Number) as [number, number];
  return `${String(((hours + 11) % 12) + 1).padStart(2, '0')}:${String(minutes).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`;
};

/**
 * The parts of a narration the sample generator writes (see sample-transactions.ts), so that
 * each bank can print them its own way: UPI payments, salary by NEFT, ATM withdrawals, EMIs by
 * ACH, cheques and IMPS transfers.
 */
export type SampleNarration =
  | { kind: 'upi'; ref: string; payee: string; bank: string; vpa: string; note: string }
  | { kind: 'neft'; ifsc: string; payer: string; note: string }
  | { kind: 'atm'; ref: string; place: string }
  | { kind: 'ach'; payee: string; mandate: string }
  | { kind: 'cheque'; payee: string }
  | { kind: 'imps'; ref: string; party: string; bank: string | null; account: string | null; note: string };

export function sampleNarration(text: string): SampleNarration | null {
  let m = /^UPI\/DR\/(\d+)\/([^/]+)\/([A-Z]{4})\/([^/]+)\/(.*)$/.exec(text);
  if (m) return { kind: 'upi', ref: m[1]!, payee: m[2]!, bank: m[3]!, vpa: m[4]!, note: m[5]! };
  m = /^NEFT CR-([A-Z]{4}0\w{6})-(.+)-(SALARY \S+)$/.exec(text);
  if (m) return { kind: 'neft', ifsc: m[1]!, payer: m[2]!, note: m[3]! };
  m = /^ATM WDL\/CASH WITHDRAWAL\/(\d+)\/(.+)$/.exec(text);
  if (m) return { kind: 'atm', ref: m[1]!, place: m[2]! };
  m = /^ACH D- (.+)-(\w+) EMI$/.exec(text);
  if (m) return { kind: 'ach', payee: m[1]!, mandate: m[2]! };
  m = /^CHQ PAID-MICR CTS-MU-(.+)$/.exec(text);
  if (m) return { kind: 'cheque', payee: m[1]! };
  m = /^IMPS-(\d+)-([^-]+)-(?:([A-Z]{4})-(X+\d+)-)?(.+)$/.exec(text);
  if (m) return { kind: 'imps', ref: m[1]!, party: m[2]!, bank: m[3] ?? null, account: m[4] ?? null, note: m[5]! };
  return null;
}

/** A bank's wording of each kind of narration; kinds it has none for keep the generator's. */
export type NarrationStyle = { [K in SampleNarration['kind']]?: (n: Extract<SampleNarration, { kind: K }>) => string };

/** The layout's `narration`: the generator's narration reworded in `style`. */
export function restyle(style: NarrationStyle): (text: string) => string {
  return (text) => {
    const n = sampleNarration(text);
    const format = n ? (style[n.kind] as ((n: SampleNarration) => string) | undefined) : undefined;
    return n && format ? format(n) : text;
  };
}
