/**
 * Punjab National Bank statement of account (PNB ONE / internet banking): branch details,
 * then customer details, the period in dd-mm-yyyy; one amount column with its DR/CR type
 * beside it, amounts and balances without digit grouping, the remarks last, and the
 * "Generated through PNB ONE" line with the bank's standing note at the foot of each page.
 */
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyyDashed, ddmmyyyySlashed, plainAmount, restyle } from './formats.ts';

export const pnbLayout: StatementLayout = {
  id: 'pnbbnk',
  title: () => ['Punjab National Bank', 'Statement of Account'],
  identity: (a, from, to) => [
    `Account Statement for Account Number ${a.accountNumber}`,
    'Branch Details',
    'Branch Name: MUMBAI ANDHERI WEST',
    'Branch Address: S V ROAD, ANDHERI WEST',
    'City: MUMBAI    Pin: 400058',
    `IFSC: ${a.ifsc}`,
    `MICR Code: ${a.micr}`,
    'Customer Details',
    `Customer Name: ${a.holderName}`,
    `Customer Address: ${a.address.join(', ')}`,
    `CKYC Number: XXXXXXXXXX${customerId(a.accountNumber).slice(-4)}`,
    'Nominee: REGISTERED',
    `Statement Period:     ${ddmmyyyyDashed(from)}    to     ${ddmmyyyyDashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Date', x: 30, width: 42, align: 'left' },
    { key: 'chq', label: 'Instrument ID', x: 76, width: 52, align: 'left' },
    { key: 'amount', label: 'Amount (INR)', x: 132, width: 54, align: 'right' },
    { key: 'drcr', label: 'Type', x: 192, width: 20, align: 'left' },
    { key: 'balance', label: 'Balance', x: 214, width: 58, align: 'right' },
    { key: 'narration', label: 'Remarks', x: 282, width: 200, align: 'left' },
  ],
  date: ddmmyyyySlashed,
  amount: plainAmount,
  balance: plainAmount,
  drcrWords: { debit: 'DR', credit: 'CR' },
  // PNB ONE cuts the payee to 8 characters and the note to one.
  narration: restyle({
    upi: (n) => `UPI/DR/${n.ref}/${n.payee.slice(0, 8)}/${n.bank}/${n.vpa}/${n.note.slice(0, 1)}`,
    neft: (n) => `NEFT_IN:${n.ifsc.slice(0, 4)}N5${n.ifsc.slice(-6)}/${n.payer}`,
    atm: (n) => `ATM Cash ${n.ref} ${n.place}`,
    imps: (n) => `IMPS/P2A/${n.ref}/${n.party}/${n.bank ?? 'SELF'}`,
  }),
  openingRow: null,
  footer: (page) =>
    `Page ${page}    ***Generated through PNB ONE***    Unless constituent notifies the bank immediately of any discrepancy, it will be taken that the account is correct.`,
};
