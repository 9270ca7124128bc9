/**
 * Bank of India statement of account (StarConnect): the transaction date, the instrument
 * (cheque) id, the narration, debit, credit and balance; dd-mm-yyyy dates, no opening line.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyyDashed, restyle } from './formats.ts';

export const boiLayout: StatementLayout = {
  id: 'boi',
  title: () => ['Bank of India', 'Statement of Account'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Account No : ${a.accountNumber}`,
    `Customer ID : ${customerId(a.accountNumber)}`,
    `Product Type : ${a.accountType === 'SAVINGS' ? 'SAVINGS BANK - GENERAL' : 'CURRENT ACCOUNT - GENERAL'}`,
    'Branch : ANDHERI (WEST)',
    `IFSC Code : ${a.ifsc}    MICR Code : ${a.micr}`,
    `Statement Period : ${ddmmyyyyDashed(from)} to ${ddmmyyyyDashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Transaction Date', x: 30, width: 48, align: 'left' },
    { key: 'chq', label: 'Instrument Id', x: 84, width: 50, align: 'left' },
    { key: 'narration', label: 'Narration', x: 144, width: 210, align: 'left' },
    { key: 'debit', label: 'Debit', x: 358, width: 64, align: 'right' },
    { key: 'credit', label: 'Credit', x: 426, width: 64, align: 'right' },
    { key: 'balance', label: 'Balance', x: 494, width: 71, align: 'right' },
  ],
  date: ddmmyyyyDashed,
  amount: formatIndian,
  balance: formatIndian,
  narration: restyle({
    upi: (n) => `UPI/${n.ref}/DR/${n.payee}/${n.bank}/${n.vpa}`,
    neft: (n) => `NEFT/${n.ifsc}/${n.payer}/${n.note}`,
    imps: (n) => `IMPS/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: null,
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement. Bank of India, Relationship beyond banking.`,
};
