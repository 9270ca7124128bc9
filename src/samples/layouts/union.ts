/**
 * Union Bank of India statement of account: numbered rows, the bank's transaction id, the
 * remarks, and one amount column that carries the direction itself, `500.00(Dr)`, as the
 * balance carries its sign, `1,09,550.00(Cr)`. UPI entries read "UPIAR/…" (and "UPIAB/…").
 */
import type { StatementLayout } from '../layout-types.ts';
import { formatIndian } from '../../domain/money.ts';
import { customerId, ddmmyyyySlashed, marked, restyle } from './formats.ts';

export const unionLayout: StatementLayout = {
  id: 'ubi',
  title: () => ['Union Bank of India', 'Statement of Account'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Customer Id : ${customerId(a.accountNumber)}`,
    `Account No : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'SAVINGS ACCOUNT' : 'CURRENT ACCOUNT'}`,
    'Branch : ANDHERI WEST, MUMBAI',
    `IFSC Code : ${a.ifsc}    MICR Code : ${a.micr}`,
    `Statement Period From - ${ddmmyyyySlashed(from)} To - ${ddmmyyyySlashed(to)}`,
  ],
  columns: [
    { key: 'serial', label: 'S.No', x: 30, width: 20, align: 'left' },
    { key: 'date', label: 'Date', x: 54, width: 42, align: 'left' },
    { key: 'txnId', label: 'Transaction Id', x: 100, width: 52, align: 'left' },
    { key: 'narration', label: 'Remarks', x: 156, width: 230, align: 'left' },
    { key: 'amount', label: 'Amount(Rs.)', x: 390, width: 76, align: 'right' },
    { key: 'balance', label: 'Balance(Rs.)', x: 474, width: 91, align: 'right' },
  ],
  date: ddmmyyyySlashed,
  amount: formatIndian,
  directedAmount: (paise, type) => `${formatIndian(paise)}(${type === 'debit' ? 'Dr' : 'Cr'})`,
  balance: marked('', '(Cr)', '(Dr)'),
  narration: restyle({
    upi: (n) => `UPIAR/${n.ref}/DR/${n.payee.slice(0, 8)}/${n.bank}/${n.vpa}`,
    neft: (n) => `NEFT:${n.ifsc}:${n.payer}:${n.note}`,
    atm: (n) => `ATM:${n.ref}:${n.place}`,
    imps: (n) => `IMPS/${n.ref}/${n.party}/${n.bank ?? 'UBIN'}/${n.note}`,
  }),
  openingRow: null,
  footer: (page, pages) => `Page ${page} of ${pages}    This is a system generated statement and does not need a signature.`,
};
