/**
 * How each bank lays out its statement, for generating realistic test PDFs: titles, the
 * identity block, table columns (label, position, alignment), and how dates and amounts are
 * printed. Modelled on the banks' real savings/current account statements.
 */
import { axisLayout } from './layouts/axis.ts';
import { genericLayout } from './layouts/generic.ts';
import { hdfcLayout } from './layouts/hdfc.ts';
import { iciciLayout } from './layouts/icici.ts';
import { kotakLayout } from './layouts/kotak.ts';
import { sbiLayout } from './layouts/sbi.ts';
import type { SampleTransaction } from './sample-transactions.ts';
import type { ColumnKey, LayoutColumn, StatementLayout } from './layout-types.ts';

export type { ColumnKey, LayoutColumn, StatementLayout };

const HOME_BRANCH_CODE = '0248';
const CENTRAL_BRANCH_CODE = '0999';

/** Every layout the generator can draw, by id (one file per bank under layouts/). */
export const LAYOUTS: Record<string, StatementLayout> = {
  hdfc: hdfcLayout,
  sbi: sbiLayout,
  icici: iciciLayout,
  axis: axisLayout,
  kotak: kotakLayout,
  generic: genericLayout,
};

/** What `layout` prints in column `key` for `t`, the statement's `serial`-th row (1-based). */
export function cellText(layout: StatementLayout, key: ColumnKey, t: SampleTransaction, serial: number): string {
  switch (key) {
    case 'serial':
      return String(serial);
    case 'initBranch':
      // Cheques are entered at the home branch; electronic entries come from central processing.
      return t.chqNum ? HOME_BRANCH_CODE : CENTRAL_BRANCH_CODE;
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
