/**
 * Paytm Payments Bank savings account statement: the date with the time of day in one column,
 * the transaction details worded as a passbook ("Paid to …", "Received from …", with the UPI
 * reference), one amount column signed `- Rs.500.00` / `+ Rs.1,000.00`, and the "Available
 * Balance". A payments bank issues no cheques: there is no cheque column and no MICR code.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { clockTime12, ddMonYyyy, restyle } from './formats.ts';

const rupees = (paise: number) => `Rs.${formatIndian(paise)}`;

export const paytmLayout: StatementLayout = {
  id: 'paytm',
  title: () => ['Paytm Payments Bank', 'Savings Account Statement'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Account No : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'Savings Account' : 'Current Account'}`,
    `IFSC : ${a.ifsc}`,
    `Statement Period : ${ddMonYyyy(from)} - ${ddMonYyyy(to)}`,
  ],
  columns: [
    { key: 'date', label: 'DATE & TIME', x: 30, width: 78, align: 'left' },
    { key: 'narration', label: 'TRANSACTION DETAILS', x: 112, width: 260, align: 'left' },
    { key: 'amount', label: 'AMOUNT', x: 376, width: 84, align: 'right' },
    { key: 'balance', label: 'AVAILABLE BALANCE', x: 470, width: 95, align: 'right' },
  ],
  date: ddMonYyyy,
  transactionDate: (date, serial) => `${ddMonYyyy(date)} ${clockTime12(serial)}`,
  amount: rupees,
  directedAmount: (paise, type) => `${type === 'debit' ? '-' : '+'} ${rupees(paise)}`,
  balance: rupees,
  narration: restyle({
    upi: (n) => `Paid to ${n.payee} UPI Ref No: ${n.ref} ${n.vpa}`,
    neft: (n) => `Received from ${n.payer} NEFT ${n.ifsc} ${n.note}`,
    atm: (n) => `Cash withdrawn at ATM ${n.place} Ref: ${n.ref}`,
    ach: (n) => `Paid to ${n.payee} NACH Mandate ${n.mandate}`,
    cheque: (n) => `Money sent to ${n.payee}`,
    imps: (n) => `Received from ${n.party} IMPS Ref No: ${n.ref} ${n.note}`,
  }),
  openingRow: null,
  footer: (page, pages) => `Page ${page} of ${pages}    For any queries, visit paytmbank.com or call 0120 4456 456. This is a computer generated statement.`,
};
