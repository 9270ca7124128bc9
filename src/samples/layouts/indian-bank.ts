/**
 * Indian Bank account statement: dates with the month name first ("May 05 2026"), amounts
 * with an INR prefix and balances with a CR/DR suffix too, "Transaction Details",
 * "Debits"/"Credits", no opening line.
 */
import type { StatementLayout } from '../layout-types.ts';
import { formatIndian } from '../../domain/money.ts';
import { customerId, marked, monDdYyyy, restyle } from './formats.ts';

const inr = (paise: number) => `INR ${formatIndian(paise)}`;

export const indianBankLayout: StatementLayout = {
  id: 'indbnk',
  title: () => ['Indian Bank', 'ACCOUNT STATEMENT'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `CIF : ${customerId(a.accountNumber)}`,
    `Account Number : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'SB GEN PUBLIC' : 'CA GENERAL'}`,
    'Branch : ANDHERI WEST',
    `IFSC Code : ${a.ifsc}    MICR Code : ${a.micr}`,
    `Statement Period : ${monDdYyyy(from)} to ${monDdYyyy(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Date', x: 30, width: 50, align: 'left' },
    { key: 'narration', label: 'Transaction Details', x: 84, width: 230, align: 'left' },
    { key: 'debit', label: 'Debits', x: 318, width: 70, align: 'right' },
    { key: 'credit', label: 'Credits', x: 392, width: 70, align: 'right' },
    { key: 'balance', label: 'Balance', x: 466, width: 99, align: 'right' },
  ],
  date: monDdYyyy,
  amount: inr,
  balance: marked(' ', 'CR', 'DR', inr),
  narration: restyle({
    upi: (n) => `UPI/${n.ref}/DR/${n.payee}/${n.bank}/${n.vpa}`,
    neft: (n) => `NEFT/${n.ifsc}/${n.payer}/${n.note}`,
    atm: (n) => `ATM WDL/${n.ref}/${n.place}`,
    imps: (n) => `IMPS/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: null,
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require a signature.`,
};
