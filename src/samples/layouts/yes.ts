/**
 * YES BANK statement of account: transaction and value dates (dd/mm/yyyy), description before
 * the reference number, "Withdrawals"/"Deposits" and a "Running Balance", an Opening Balance line.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyySlashed, restyle } from './formats.ts';

export const yesLayout: StatementLayout = {
  id: 'yesbnk',
  title: () => ['YES BANK', 'Statement of Account'],
  identity: (a, from, to) => [
    `Account Holder Name : ${a.holderName}`,
    `Address : ${a.address.join(', ')}`,
    `Customer ID : ${customerId(a.accountNumber)}`,
    `Account Number : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'Savings Account - YES ESSENCE' : 'Current Account - YES BUSINESS'}`,
    'Branch : MUMBAI - ANDHERI WEST',
    `IFSC Code : ${a.ifsc}    MICR Code : ${a.micr}`,
    `Statement Period : ${ddmmyyyySlashed(from)} to ${ddmmyyyySlashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Transaction Date', x: 30, width: 44, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 78, width: 44, align: 'left' },
    { key: 'narration', label: 'Description', x: 126, width: 190, align: 'left' },
    { key: 'chq', label: 'Reference Number', x: 320, width: 44, align: 'left' },
    { key: 'debit', label: 'Withdrawals', x: 368, width: 62, align: 'right' },
    { key: 'credit', label: 'Deposits', x: 434, width: 62, align: 'right' },
    { key: 'balance', label: 'Running Balance', x: 500, width: 65, align: 'right' },
  ],
  date: ddmmyyyySlashed,
  amount: formatIndian,
  balance: formatIndian,
  narration: restyle({
    upi: (n) => `UPI/${n.ref}/DR/${n.payee}/${n.bank}/${n.vpa}/${n.note}`,
    neft: (n) => `NEFT Cr-${n.ifsc}-${n.payer}-${n.note}`,
    imps: (n) => `IMPS/P2A/${n.ref}/${n.party}/${n.note}`,
  }),
  openingRow: 'Opening Balance',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement and does not require signature. www.yesbank.in`,
};
