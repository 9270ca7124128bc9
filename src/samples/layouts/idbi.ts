/**
 * IDBI Bank statement of account: a serial column ("Srl"), transaction and value dates, one
 * amount column with the direction in a "CR/DR" column and the currency in a "CCY" column
 * before it, dd/mm/yyyy dates.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyySlashed, restyle } from './formats.ts';

export const idbiLayout: StatementLayout = {
  id: 'idbi',
  title: () => ['IDBI BANK', 'Statement of Account'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Customer ID : ${customerId(a.accountNumber)}`,
    `A/C NO : ${a.accountNumber}`,
    `A/C Type : ${a.accountType === 'SAVINGS' ? 'SAVINGS - INDIVIDUAL' : 'CURRENT - GENERAL'}`,
    'Branch : ANDHERI WEST, MUMBAI',
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `Statement Period : ${ddmmyyyySlashed(from)} to ${ddmmyyyySlashed(to)}`,
  ],
  columns: [
    { key: 'serial', label: 'Srl', x: 30, width: 16, align: 'left' },
    { key: 'date', label: 'Txn Date', x: 50, width: 42, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 96, width: 42, align: 'left' },
    { key: 'narration', label: 'Description', x: 142, width: 170, align: 'left' },
    { key: 'chq', label: 'Cheque No', x: 316, width: 36, align: 'left' },
    { key: 'drcr', label: 'CR/DR', x: 358, width: 26, align: 'left' },
    { key: 'currency', label: 'CCY', x: 390, width: 20, align: 'left' },
    { key: 'amount', label: 'Amount (INR)', x: 414, width: 70, align: 'right' },
    { key: 'balance', label: 'Balance (INR)', x: 490, width: 75, align: 'right' },
  ],
  date: ddmmyyyySlashed,
  amount: formatIndian,
  balance: formatIndian,
  drcrWords: { debit: 'DR', credit: 'CR' },
  narration: restyle({
    upi: (n) => `UPI/${n.ref}/${n.payee}/${n.vpa}`,
    imps: (n) => `IMPS/P2A/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: null,
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require signature.`,
};
