/**
 * AU Small Finance Bank account statement: "dd Mon yyyy" dates, transaction and value dates,
 * a "Ref/Cheque No." column after the description, an Opening Balance line.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddMonYyyy, restyle } from './formats.ts';

export const auLayout: StatementLayout = {
  id: 'ausfbnk',
  title: () => ['AU SMALL FINANCE BANK', 'Account Statement'],
  identity: (a, from, to) => [
    `Customer Name : ${a.holderName}`,
    ...a.address,
    `Customer ID : ${customerId(a.accountNumber)}`,
    `Account Number : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'Savings Account' : 'Current Account'}`,
    'Branch : MUMBAI ANDHERI',
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `Statement Period : ${ddMonYyyy(from)} to ${ddMonYyyy(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Txn Date', x: 30, width: 46, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 80, width: 46, align: 'left' },
    { key: 'narration', label: 'Description', x: 130, width: 186, align: 'left' },
    { key: 'chq', label: 'Ref/Cheque No.', x: 320, width: 44, align: 'left' },
    { key: 'debit', label: 'Debit', x: 368, width: 62, align: 'right' },
    { key: 'credit', label: 'Credit', x: 434, width: 62, align: 'right' },
    { key: 'balance', label: 'Balance', x: 500, width: 65, align: 'right' },
  ],
  date: ddMonYyyy,
  amount: formatIndian,
  balance: formatIndian,
  narration: restyle({
    neft: (n) => `NEFT/${n.ifsc}/${n.payer}/${n.note}`,
    imps: (n) => `IMPS/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: 'Opening Balance',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a system generated statement and does not require a signature. www.aubank.in`,
};
