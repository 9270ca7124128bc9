/**
 * How each bank lays out its statement, for generating realistic test PDFs: titles, the
 * identity block, table columns (label, position, alignment), and how dates and amounts are
 * printed. Modelled on the banks' real savings/current account statements.
 */
import type { CalendarDate } from '../lib/calendar-date.ts';
import { genericLayout } from './layouts/generic.ts';
import { hdfcLayout } from './layouts/hdfc.ts';
import { sbiLayout } from './layouts/sbi.ts';
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

/** Every layout the generator can draw, by id (one file per bank under layouts/). */
export const LAYOUTS: Record<string, StatementLayout> = {
  hdfc: hdfcLayout,
  sbi: sbiLayout,
  generic: genericLayout,
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
