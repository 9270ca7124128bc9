/**
 * Bank of Baroda statement of account: capitalised header words with the direction in brackets
 * (WITHDRAWAL(DR), DEPOSIT(CR), BALANCE(INR)), dd-mm-yyyy dates, an Opening Balance line, and
 * balances with a Cr/Dr suffix written against the figure.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyyDashed, marked, restyle } from './formats.ts';

/** Baroda prints the UPI payment's time of day; the sample takes one from the reference. */
const timeFromRef = (ref: string) =>
  [Number(ref.slice(0, 2)) % 24, Number(ref.slice(2, 4)) % 60, Number(ref.slice(4, 6)) % 60].map((v) => String(v).padStart(2, '0')).join(':');

export const barodaLayout: StatementLayout = {
  id: 'baroda',
  title: () => ['Bank of Baroda', 'ANDHERI WEST BRANCH, MUMBAI'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    ...a.address,
    `A/C No : ${a.accountNumber}`,
    `Cust ID : ${customerId(a.accountNumber)}`,
    `A/C Type : ${a.accountType === 'SAVINGS' ? 'SAVINGS BANK - GENERAL' : 'CURRENT ACCOUNT - GENERAL'}`,
    `IFSC Code : ${a.ifsc}    MICR Code : ${a.micr}`,
    `Statement of account for the period of ${ddmmyyyyDashed(from)} to ${ddmmyyyyDashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'DATE', x: 30, width: 44, align: 'left' },
    { key: 'narration', label: 'NARRATION', x: 78, width: 200, align: 'left' },
    { key: 'chq', label: 'CHQ.NO.', x: 282, width: 40, align: 'left' },
    { key: 'debit', label: 'WITHDRAWAL(DR)', x: 326, width: 70, align: 'right' },
    { key: 'credit', label: 'DEPOSIT(CR)', x: 400, width: 70, align: 'right' },
    { key: 'balance', label: 'BALANCE(INR)', x: 474, width: 91, align: 'right' },
  ],
  date: ddmmyyyyDashed,
  amount: formatIndian,
  balance: marked('', 'Cr', 'Dr'),
  narration: restyle({
    upi: (n) => `UPI/${n.ref}/${timeFromRef(n.ref)}/UPI/${n.vpa}/${n.note}`,
    neft: (n) => `NEFT-${n.ifsc.slice(0, 4)}N52${n.ifsc.slice(-6)}-${n.payer}-${n.note}`,
    imps: (n) => `IMPS/P2A/${n.ref}/${n.party.replace(/\s/g, '').slice(0, 9)}/${n.bank ?? 'BARB'}/${n.note}`,
    atm: (n) => `ATM/CASH WDL/${n.ref}/${n.place}`,
  }),
  openingRow: 'Opening Balance',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require signature.`,
};
