/**
 * IndusInd Bank statement of account: "dd Mon yyyy" dates, one date column, the bank's own
 * spelling "WithDrawl" over the debit column, Opening and Closing Balance lines.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddMonYyyy, restyle } from './formats.ts';

export const indusindLayout: StatementLayout = {
  id: 'indusind',
  title: () => ['IndusInd Bank', 'Statement of Account'],
  identity: (a, from, to) => [
    `Customer Name : ${a.holderName}`,
    ...a.address,
    `Customer ID : ${customerId(a.accountNumber)}`,
    `Account No. : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'Indus Savings Account' : 'Indus Current Account'}`,
    'Branch : MUMBAI-ANDHERI WEST',
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `Period : ${ddMonYyyy(from)} To ${ddMonYyyy(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Date', x: 30, width: 46, align: 'left' },
    { key: 'narration', label: 'Particulars', x: 80, width: 230, align: 'left' },
    { key: 'chq', label: 'Chq./Ref.No', x: 314, width: 48, align: 'left' },
    { key: 'debit', label: 'WithDrawl', x: 366, width: 62, align: 'right' },
    { key: 'credit', label: 'Deposit', x: 432, width: 62, align: 'right' },
    { key: 'balance', label: 'Balance', x: 498, width: 67, align: 'right' },
  ],
  date: ddMonYyyy,
  amount: formatIndian,
  balance: formatIndian,
  narration: restyle({
    upi: (n) => `UPI/${n.ref}/DR/${n.payee}/${n.bank}/${n.vpa}`,
    neft: (n) => `NEFT/${n.ifsc}/${n.payer}/${n.note}`,
    imps: (n) => `IMPS/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: 'Opening Balance',
  closingRow: 'Closing Balance',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require a signature.`,
};
