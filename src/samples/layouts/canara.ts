/**
 * Canara Bank account statement: capitalised header words, the transaction date with the time
 * of posting (dd-mm-yyyy hh:mm:ss) and a value date, the branch code beside the cheque/reference
 * number before the description, "WITHDRAWS"/"DEPOSIT" amounts, an Opening Balance line, and
 * the period as "Searched By : From … To …".
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { clockTime, customerId, ddmmyyyyDashed, restyle } from './formats.ts';

export const canaraLayout: StatementLayout = {
  id: 'canara',
  title: () => ['Canara Bank', 'Account Statement'],
  identity: (a, from, to) => [
    `Account Holders Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Customer Id : ${customerId(a.accountNumber)}`,
    `Account Number : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'SB-GENERAL' : 'CA-GENERAL'}`,
    'Branch Name : MUMBAI ANDHERI WEST',
    `IFSC Code : ${a.ifsc}`,
    `MICR Code : ${a.micr}`,
    `Searched By : From ${ddmmyyyyDashed(from)} To ${ddmmyyyyDashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'TRANS DATE', x: 30, width: 76, align: 'left' },
    { key: 'valueDate', label: 'VALUE DATE', x: 112, width: 42, align: 'left' },
    { key: 'initBranch', label: 'BRANCH', x: 160, width: 34, align: 'left' },
    { key: 'chq', label: 'REF/CHQ.NO', x: 200, width: 40, align: 'left' },
    { key: 'narration', label: 'DESCRIPTION', x: 246, width: 138, align: 'left' },
    { key: 'debit', label: 'WITHDRAWS', x: 388, width: 54, align: 'right' },
    { key: 'credit', label: 'DEPOSIT', x: 446, width: 54, align: 'right' },
    { key: 'balance', label: 'BALANCE', x: 504, width: 61, align: 'right' },
  ],
  date: ddmmyyyyDashed,
  transactionDate: (date, serial) => `${ddmmyyyyDashed(date)} ${clockTime(serial)}`,
  amount: formatIndian,
  balance: formatIndian,
  narration: restyle({
    neft: (n) => `NEFT CR ${n.ifsc} ${n.payer} ${n.note}`,
    atm: (n) => `ATM CASH WDL ${n.ref} ${n.place}`,
    imps: (n) => `IMPS-IN/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: 'Opening Balance',
  footer: (page, pages) => `Page ${page} of ${pages}    Computer generated statement, does not require signature.`,
};
