/**
 * RBL Bank account statement: "A/c" identity labels ("Accountholder Name", "CIF ID", "A/c No"),
 * the transaction date, "Transaction Details", a "Cheque ID", the value date after it,
 * "Withdrawal Amt"/"Deposit Amt", dd/mm/yyyy dates, an Opening Balance line.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyySlashed, restyle } from './formats.ts';

export const rblLayout: StatementLayout = {
  id: 'rbl',
  title: () => ['RBL BANK', 'Account Statement'],
  identity: (a, from, to) => [
    `Accountholder Name : ${a.holderName}`,
    `Customer Address : ${a.address.join(', ')}`,
    `CIF ID : ${customerId(a.accountNumber)}`,
    'A/c Currency : INR',
    `A/c Type : ${a.accountType === 'SAVINGS' ? 'SAVINGS ACCOUNT' : 'CURRENT ACCOUNT'}`,
    'A/c Status : ACTIVE',
    `A/c No : ${a.accountNumber}`,
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `Statement Period : ${ddmmyyyySlashed(from)} to ${ddmmyyyySlashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Transaction Date', x: 30, width: 44, align: 'left' },
    { key: 'narration', label: 'Transaction Details', x: 78, width: 200, align: 'left' },
    { key: 'chq', label: 'Cheque ID', x: 282, width: 40, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 326, width: 44, align: 'left' },
    { key: 'debit', label: 'Withdrawal Amt', x: 374, width: 60, align: 'right' },
    { key: 'credit', label: 'Deposit Amt', x: 438, width: 60, align: 'right' },
    { key: 'balance', label: 'Balance', x: 502, width: 63, align: 'right' },
  ],
  date: ddmmyyyySlashed,
  amount: formatIndian,
  balance: formatIndian,
  narration: restyle({
    upi: (n) => `UPI/${n.ref}/${n.note}/${n.vpa}/${n.payee}`,
    neft: (n) => `NEFT/${n.ifsc}/${n.payer}/${n.note}`,
    imps: (n) => `IMPS/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: 'Opening Balance',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require a signature.`,
};
