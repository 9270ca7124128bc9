/**
 * ICICI Bank detailed statement: rows numbered by a serial column, value date before
 * transaction date (dd/mm/yyyy), no opening-balance row, and header labels long enough to
 * wrap inside their narrow columns.
 */
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';

export const iciciLayout: StatementLayout = {
  id: 'icici',
  title: (a) => ['ICICI Bank Limited', `Statement of Transactions in ${a.accountType === 'SAVINGS' ? 'Savings' : 'Current'} Account`],
  identity: (a, from, to) => [
    `MR. ${a.holderName}`,
    ...a.address,
    'Your Base Branch : ICICI BANK LIMITED, ANDHERI WEST, MUMBAI',
    `Account Number : ${a.accountNumber} (INR)`,
    `IFSC Code : ${a.ifsc}    MICR Code : ${a.micr}`,
    `Transaction Date from ${formatDayMonthYear(from)} to ${formatDayMonthYear(to)}`,
  ],
  columns: [
    { key: 'serial', label: 'S No.', x: 30, width: 20, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 54, width: 42, align: 'left' },
    { key: 'date', label: 'Transaction Date', x: 100, width: 42, align: 'left' },
    { key: 'chq', label: 'Cheque Number', x: 146, width: 36, align: 'left' },
    { key: 'narration', label: 'Transaction Remarks', x: 186, width: 170, align: 'left' },
    { key: 'debit', label: 'Withdrawal Amount (INR)', x: 360, width: 62, align: 'right' },
    { key: 'credit', label: 'Deposit Amount (INR)', x: 426, width: 62, align: 'right' },
    { key: 'balance', label: 'Balance (INR)', x: 492, width: 73, align: 'right' },
  ],
  date: formatDayMonthYear,
  amount: formatIndian,
  balance: formatIndian,
  openingRow: null,
  footer: (page, pages) => `Page ${page} of ${pages}    Please call from your registered mobile number for any query on this statement.`,
};
