/** HDFC Bank savings/current statement: dd/mm/yy dates, withdrawal and deposit columns. */
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { ddmmyy } from './formats.ts';

export const hdfcLayout: StatementLayout = {
  id: 'hdfc',
  title: () => ['HDFC BANK Ltd.', 'Page Statement of Account'],
  identity: (a, from, to) => [
    `MR ${a.holderName}`,
    ...a.address,
    `Account No : ${a.accountNumber}    ${a.accountType === 'SAVINGS' ? 'SAVINGS ACCOUNT - REGULAR' : 'CURRENT ACCOUNT'}`,
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `Statement From : ${formatDayMonthYear(from)} To : ${formatDayMonthYear(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Date', x: 30, width: 42, align: 'left' },
    { key: 'narration', label: 'Narration', x: 76, width: 170, align: 'left' },
    { key: 'chq', label: 'Chq./Ref.No.', x: 250, width: 62, align: 'left' },
    { key: 'valueDate', label: 'Value Dt', x: 316, width: 42, align: 'left' },
    { key: 'debit', label: 'Withdrawal Amt.', x: 362, width: 68, align: 'right' },
    { key: 'credit', label: 'Deposit Amt.', x: 434, width: 62, align: 'right' },
    { key: 'balance', label: 'Closing Balance', x: 500, width: 66, align: 'right' },
  ],
  date: ddmmyy,
  amount: formatIndian,
  balance: formatIndian,
  openingRow: null,
  footer: (page, pages) => `Page No .: ${page} of ${pages}    HDFC BANK LIMITED    *Closing balance includes funds earmarked for hold and uncleared funds`,
};
