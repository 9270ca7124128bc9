/**
 * Central Bank of India statement of account: post and value dates (dd/mm/yyyy), branch code
 * and cheque number before the description ("Account Description"), balances with a CR/DR
 * suffix, a BALANCE B/F line, and narrations that start "BY TRANSFER" (credits) or
 * "TO TRANSFER" (debits), "TO CLG" for cheques.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyySlashed, marked, restyle } from './formats.ts';

export const centralLayout: StatementLayout = {
  id: 'central',
  title: () => ['CENTRAL BANK OF INDIA', 'Statement of Account'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Customer ID (CIF) : ${customerId(a.accountNumber)}`,
    `Account Number : ${a.accountNumber}`,
    `Product : ${a.accountType === 'SAVINGS' ? 'SB-GENERAL-PUBLIC' : 'CA-GENERAL-PUBLIC'}`,
    'Branch : ANDHERI WEST (0248)',
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `Statement from ${ddmmyyyySlashed(from)} to ${ddmmyyyySlashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Post Date', x: 30, width: 40, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 76, width: 40, align: 'left' },
    { key: 'initBranch', label: 'Branch Code', x: 122, width: 28, align: 'left' },
    { key: 'chq', label: 'Cheque Number', x: 158, width: 36, align: 'left' },
    { key: 'narration', label: 'Account Description', x: 202, width: 148, align: 'left' },
    { key: 'debit', label: 'Debit', x: 354, width: 60, align: 'right' },
    { key: 'credit', label: 'Credit', x: 418, width: 60, align: 'right' },
    { key: 'balance', label: 'Balance', x: 482, width: 83, align: 'right' },
  ],
  date: ddmmyyyySlashed,
  amount: formatIndian,
  balance: marked(' ', 'CR', 'DR'),
  narration: restyle({
    upi: (n) => `TO TRANSFER-UPI/DR/${n.ref}/${n.payee}/${n.bank}/${n.vpa}`,
    neft: (n) => `BY TRANSFER-NEFT*${n.ifsc}*${n.payer}*${n.note}`,
    atm: (n) => `CASH WITHDRAWAL BY ATM-${n.ref}-${n.place}`,
    ach: (n) => `TO TRANSFER-ACH DR-${n.payee}-${n.mandate}`,
    cheque: (n) => `TO CLG-${n.payee}`,
    imps: (n) => `BY TRANSFER-IMPS/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: 'BALANCE B/F',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require signature. Central Bank of India - Build A Better Life Around Us`,
};
