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
/** 05-01-2024 */
export const ddmmyyyyDashed = (d: CalendarDate) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
/** 05-Jan-24 */
export const ddMonYy = (d: CalendarDate) => `${d.slice(8, 10)}-${MONTHS[Number(d.slice(5, 7)) - 1]}-${d.slice(2, 4)}`;
/** 05 Jan 2024 */
export const ddMonYyyy = (d: CalendarDate) => `${d.slice(8, 10)} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
/** Sample accounts carry no customer id; a stable one derived from the account number stands in. */
export const customerId = (accountNumber: string) => [...accountNumber.slice(-9)].reverse().join('');
