/**
 * How each bank lays out its statement, for generating realistic test PDFs: titles, the
 * identity block, table columns (label, position, alignment), and how dates and amounts are
 * printed. Modelled on the banks' real savings/current account statements.
 */
import { formatDayMonthYear, type CalendarDate } from '../lib/calendar-date.ts';
import { formatIndian } from '../statements/money.ts';
import type { SampleAccount, SampleTransaction } from './sample-transactions.ts';

export type ColumnKey = 'date' | 'valueDate' | 'narration' | 'chq' | 'debit' | 'credit' | 'amount' | 'drcr' | 'balance';

export interface LayoutColumn {
  key: ColumnKey;
  label: string;
  x: number;
  width: number;
  align: 'left' | 'right';
}

export interface StatementLayout {
  /** Catalogue bank id, or `generic` for a bank Passbook has no layout for. */
  id: string;
  title: (account: SampleAccount) => string[];
  identity: (account: SampleAccount, from: CalendarDate, to: CalendarDate) => string[];
  columns: LayoutColumn[];
  date: (date: CalendarDate) => string;
  amount: (paise: number) => string;
  balance: (paise: number) => string;
  /** Text of the opening-balance row's narration, or null when the bank prints none. */
  openingRow: string | null;
  footer: (page: number, pages: number) => string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ddmmyy = (d: CalendarDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(2, 4)}`;
const dMonYyyy = (d: CalendarDate) => `${Number(d.slice(8, 10))} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
const drCr = (paise: number) => `${formatIndian(Math.abs(paise))} ${paise < 0 ? 'Dr' : 'Cr'}`;

export const LAYOUTS: Record<string, StatementLayout> = {
  hdfc: {
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
  },
  sbi: {
    id: 'sbi',
    title: () => ['State Bank of India', 'Account Statement'],
    identity: (a, from, to) => [
      `Account Name : ${a.holderName}`,
      `Address : ${a.address.join(', ')}`,
      `Account Number : ${a.accountNumber}`,
      `Account Description : ${a.accountType === 'SAVINGS' ? 'REGULAR SB CHQ-INDIVIDUALS' : 'CA-GEN-PUB-IND-NONRURAL'}`,
      `IFS Code : ${a.ifsc}`,
      `MICR Code : ${a.micr}`,
      `Statement from ${dMonYyyy(from)} to ${dMonYyyy(to)}`,
    ],
    columns: [
      { key: 'date', label: 'Txn Date', x: 30, width: 52, align: 'left' },
      { key: 'valueDate', label: 'Value Date', x: 86, width: 52, align: 'left' },
      { key: 'narration', label: 'Description', x: 142, width: 160, align: 'left' },
      { key: 'chq', label: 'Ref No./Cheque No.', x: 306, width: 76, align: 'left' },
      { key: 'debit', label: 'Debit', x: 386, width: 58, align: 'right' },
      { key: 'credit', label: 'Credit', x: 448, width: 58, align: 'right' },
      { key: 'balance', label: 'Balance', x: 510, width: 56, align: 'right' },
    ],
    date: dMonYyyy,
    amount: formatIndian,
    balance: formatIndian,
    openingRow: 'Balance as on',
    footer: (page) => `Page ${page}    **This is a computer generated statement and does not require a signature.`,
  },
  generic: {
    id: 'generic',
    title: () => ['Sahyadri Co-operative Credit Society', 'Statement of Account'],
    identity: (a, from, to) => [
      `Name: ${a.holderName}`,
      `A/c No: ${a.accountNumber}`,
      `Period: ${formatDayMonthYear(from)} to ${formatDayMonthYear(to)}`,
    ],
    columns: [
      { key: 'date', label: 'Date', x: 30, width: 56, align: 'left' },
      { key: 'narration', label: 'Particulars', x: 92, width: 250, align: 'left' },
      { key: 'amount', label: 'Amount', x: 346, width: 80, align: 'right' },
      { key: 'balance', label: 'Balance', x: 440, width: 110, align: 'right' },
    ],
    date: (d) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`,
    amount: formatIndian,
    balance: drCr,
    openingRow: 'Opening Balance',
    footer: (page, pages) => `${page} / ${pages}`,
  },
};

export function cellText(layout: StatementLayout, key: ColumnKey, t: SampleTransaction): string {
  switch (key) {
    case 'date':
    case 'valueDate':
      return layout.date(t.date);
    case 'narration':
      return t.narration;
    case 'chq':
      return t.chqNum ?? '';
    case 'debit':
      return t.type === 'debit' ? layout.amount(t.amountPaise) : '';
    case 'credit':
      return t.type === 'credit' ? layout.amount(t.amountPaise) : '';
    case 'amount':
      return layout.amount(t.amountPaise);
    case 'drcr':
      return t.type === 'debit' ? 'Dr' : 'Cr';
    case 'balance':
      return layout.balance(t.balancePaise);
  }
}
