/**
 * IDFC FIRST Bank statement of account: capitalised identity labels, the period and the dates
 * as dd-Mon-yyyy, transaction and value dates, "Particulars", an Opening Balance line.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddMonYyyyDashed, restyle } from './formats.ts';

export const idfcLayout: StatementLayout = {
  id: 'idfc',
  title: () => ['IDFC FIRST Bank', 'STATEMENT OF ACCOUNT'],
  identity: (a, from, to) => [
    `CUSTOMER ID : ${customerId(a.accountNumber)}`,
    `NAME : ${a.holderName}`,
    ...a.address,
    `ACCOUNT NO : ${a.accountNumber}`,
    `ACCOUNT TYPE : ${a.accountType === 'SAVINGS' ? 'Savings Account' : 'Current Account'}`,
    'ACCOUNT BRANCH : MUMBAI - ANDHERI WEST',
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `STATEMENT PERIOD : ${ddMonYyyyDashed(from)} to ${ddMonYyyyDashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Transaction Date', x: 30, width: 48, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 82, width: 48, align: 'left' },
    { key: 'narration', label: 'Particulars', x: 134, width: 180, align: 'left' },
    { key: 'chq', label: 'Cheque No.', x: 318, width: 40, align: 'left' },
    { key: 'debit', label: 'Debit', x: 362, width: 62, align: 'right' },
    { key: 'credit', label: 'Credit', x: 428, width: 62, align: 'right' },
    { key: 'balance', label: 'Balance', x: 494, width: 71, align: 'right' },
  ],
  date: ddMonYyyyDashed,
  amount: formatIndian,
  balance: formatIndian,
  narration: restyle({
    upi: (n) => `UPI/DR/${n.ref}/${n.payee}/${n.bank}/${n.vpa}/UPI`,
    neft: (n) => `NEFT/${n.ifsc.slice(0, 4)}N52${n.ifsc.slice(-6)}/${n.payer}/${n.note}`,
    imps: (n) => `IMPS/P2A/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: 'Opening Balance',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require a signature. www.idfcfirstbank.com`,
};
