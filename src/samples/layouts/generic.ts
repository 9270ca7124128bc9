/** A bank Passbook has no layout for: one amount column, balances with Cr/Dr suffixes. */
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { drCr } from './formats.ts';

export const genericLayout: StatementLayout = {
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
};
