/**
 * How each bank lays out its statement, for generating realistic test PDFs: titles, the
 * identity block, table columns (label, position, alignment), and how dates and amounts are
 * printed. Modelled on the banks' real savings/current account statements.
 */
import { auLayout } from './layouts/au.ts';
import { axisLayout } from './layouts/axis.ts';
import { barodaLayout } from './layouts/baroda.ts';
import { boiLayout } from './layouts/boi.ts';
import { canaraLayout } from './layouts/canara.ts';
import { centralLayout } from './layouts/central.ts';
import { federalLayout } from './layouts/federal.ts';
import { genericLayout } from './layouts/generic.ts';
import { hdfcLayout } from './layouts/hdfc.ts';
import { iciciLayout } from './layouts/icici.ts';
import { idbiLayout } from './layouts/idbi.ts';
import { idfcLayout } from './layouts/idfc.ts';
import { indianBankLayout } from './layouts/indian-bank.ts';
import { indusindLayout } from './layouts/indusind.ts';
import { kotakLayout } from './layouts/kotak.ts';
import { paytmLayout } from './layouts/paytm.ts';
import { pnbLayout } from './layouts/pnb.ts';
import { rblLayout } from './layouts/rbl.ts';
import { sbiLayout } from './layouts/sbi.ts';
import { unionLayout } from './layouts/union.ts';
import { yesLayout } from './layouts/yes.ts';
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
  pnbbnk: pnbLayout,
  baroda: barodaLayout,
  canara: canaraLayout,
  ubi: unionLayout,
  boi: boiLayout,
  idfc: idfcLayout,
  yesbnk: yesLayout,
  indusind: indusindLayout,
  federal: federalLayout,
  ausfbnk: auLayout,
  rbl: rblLayout,
  idbi: idbiLayout,
  indbnk: indianBankLayout,
  central: centralLayout,
  paytm: paytmLayout,
  generic: genericLayout,
};

/**
 * A bank's id of an entry, as Finacle prints them ("S12345678"): a letter and eight digits,
 * stable for the same row so that generated statements stay reproducible.
 */
function sampleTxnId(t: SampleTransaction, serial: number): string {
  const digits = (Number(t.date.replace(/-/g, '')) * 31 + serial * 7_919 + t.amountPaise) % 100_000_000;
  return `${t.chqNum ? 'C' : 'S'}${String(digits).padStart(8, '0')}`;
}

/** What `layout` prints in column `key` for `t`, the statement's `serial`-th row (1-based). */
export function cellText(layout: StatementLayout, key: ColumnKey, t: SampleTransaction, serial: number): string {
  switch (key) {
    case 'serial':
      return String(serial);
    case 'initBranch':
      // Cheques are entered at the home branch; electronic entries come from central processing.
      return t.chqNum ? HOME_BRANCH_CODE : CENTRAL_BRANCH_CODE;
    case 'date':
      return layout.transactionDate ? layout.transactionDate(t.date, serial) : layout.date(t.date);
    case 'valueDate':
      return layout.date(t.date);
    case 'narration':
      return layout.narration ? layout.narration(t.narration) : t.narration;
    case 'chq':
      return t.chqNum ?? '';
    case 'debit':
      return t.type === 'debit' ? layout.amount(t.amountPaise) : '';
    case 'credit':
      return t.type === 'credit' ? layout.amount(t.amountPaise) : '';
    case 'amount':
      return layout.directedAmount ? layout.directedAmount(t.amountPaise, t.type) : layout.amount(t.amountPaise);
    case 'drcr': {
      const words = layout.drcrWords ?? { debit: 'Dr', credit: 'Cr' };
      return t.type === 'debit' ? words.debit : words.credit;
    }
    case 'balance':
      return layout.balance(t.balancePaise);
    case 'txnId':
      return sampleTxnId(t, serial);
    case 'tranType':
      return t.chqNum ? 'CLG' : 'TFR';
    case 'currency':
      return 'INR';
    case 'balanceDrCr':
      return t.balancePaise < 0 ? 'Dr' : 'Cr';
  }
}
