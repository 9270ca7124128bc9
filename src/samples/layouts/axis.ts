/**
 * Axis Bank statement of account: dd-mm-yyyy dates, an OPENING BALANCE line before the rows,
 * TRANSACTION TOTAL and CLOSING BALANCE lines after them, and the initiating branch's code
 * in the last column.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyyDashed } from './formats.ts';

export const axisLayout: StatementLayout = {
  id: 'axis',
  title: () => ['Axis Bank Ltd'],
  identity: (a, from, to) => [
    `Customer Name : ${a.holderName}`,
    ...a.address,
    'Joint Holder : --',
    `Customer ID : ${customerId(a.accountNumber)}`,
    `IFSC Code : ${a.ifsc}`,
    `MICR Code : ${a.micr}`,
    'Nominee Registered : Y',
    `Scheme : ${a.accountType === 'SAVINGS' ? 'EASY ACCESS SAVINGS ACCOUNT' : 'CURRENT ACCOUNT - NORMAL'}`,
    `Statement of Account No : ${a.accountNumber} for the period (From : ${ddmmyyyyDashed(from)} To : ${ddmmyyyyDashed(to)})`,
  ],
  columns: [
    { key: 'date', label: 'Tran Date', x: 30, width: 44, align: 'left' },
    { key: 'chq', label: 'Chq No', x: 78, width: 34, align: 'left' },
    { key: 'narration', label: 'Particulars', x: 116, width: 200, align: 'left' },
    { key: 'debit', label: 'Debit', x: 320, width: 60, align: 'right' },
    { key: 'credit', label: 'Credit', x: 384, width: 60, align: 'right' },
    { key: 'balance', label: 'Balance', x: 448, width: 70, align: 'right' },
    { key: 'initBranch', label: 'Init. Br', x: 526, width: 39, align: 'left' },
  ],
  date: ddmmyyyyDashed,
  amount: formatIndian,
  balance: formatIndian,
  openingRow: 'OPENING BALANCE',
  totalRow: 'TRANSACTION TOTAL',
  closingRow: 'CLOSING BALANCE',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a system generated output and requires no signature.`,
};
