/** SBI account statement: "5 Jan 2024" dates, txn and value dates, a "Balance as on" opening row. */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { dMonYyyy } from './formats.ts';

export const sbiLayout: StatementLayout = {
  id: 'sbi',
  title: () => ['State Bank of India', 'Account Statement'],
  identity: (a, from, to) => [
    `Account Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Account Number : ${a.accountNumber}`,
    `Account Description : ${a.accountType === 'SAVINGS' ? 'REGULAR SB CHQ-INDIVIDUALS' : 'CA-GEN-PUB-IND-NONRURAL'}`,
    `IFS Code : ${a.ifsc}`,
    `MICR Code : ${a.micr}`,
    `Statement from ${dMonYyyy(from)} to ${dMonYyyy(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Txn Date', x: 30, width: 52, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 86, width: 52, align: 'left' },
    { key: 'narration', label: 'Description', x: 142, width: 160, align: 'left' },
    { key: 'chq', label: 'Ref No./Cheque No.', x: 306, width: 76, align: 'left' },
    { key: 'debit', label: 'Debit', x: 386, width: 58, align: 'right' },
    { key: 'credit', label: 'Credit', x: 448, width: 58, align: 'right' },
    { key: 'balance', label: 'Balance', x: 510, width: 56, align: 'right' },
  ],
  date: dMonYyyy,
  amount: formatIndian,
  balance: formatIndian,
  openingRow: 'Balance as on',
  footer: (page) => `Page ${page}    **This is a computer generated statement and does not require a signature.`,
};
