/**
 * Federal Bank statement of account: date and value date (dd-mm-yyyy), particulars, the
 * transaction type (TFR, CLG) and Finacle transaction id, cheque details, withdrawals and
 * deposits, and the balance's Cr/Dr in a column of its own after it. UPI entries read
 * "UPI OUT/…" and "UPI IN/…". A GRAND TOTAL line closes the table.
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddmmyyyyDashed, restyle } from './formats.ts';

export const federalLayout: StatementLayout = {
  id: 'federal',
  title: () => ['FEDERAL BANK', 'Statement of Account'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    ...a.address,
    `Customer ID : ${customerId(a.accountNumber)}`,
    `Account Number : ${a.accountNumber}`,
    `Type of Account : ${a.accountType === 'SAVINGS' ? 'SB GENERAL' : 'CA GENERAL'}`,
    'Branch : MUMBAI/ANDHERI WEST',
    `IFSC : ${a.ifsc}    MICR : ${a.micr}`,
    `Statement of Account for the period ${ddmmyyyyDashed(from)} to ${ddmmyyyyDashed(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Date', x: 30, width: 42, align: 'left' },
    { key: 'valueDate', label: 'Value Date', x: 76, width: 42, align: 'left' },
    { key: 'narration', label: 'Particulars', x: 122, width: 126, align: 'left' },
    { key: 'tranType', label: 'Tran Type', x: 254, width: 20, align: 'left' },
    { key: 'txnId', label: 'Tran ID', x: 280, width: 40, align: 'left' },
    { key: 'chq', label: 'Cheque Details', x: 328, width: 30, align: 'left' },
    { key: 'debit', label: 'Withdrawals', x: 362, width: 52, align: 'right' },
    { key: 'credit', label: 'Deposits', x: 418, width: 52, align: 'right' },
    { key: 'balance', label: 'Balance', x: 474, width: 62, align: 'right' },
    { key: 'balanceDrCr', label: 'Dr/Cr', x: 544, width: 21, align: 'left' },
  ],
  date: ddmmyyyyDashed,
  amount: formatIndian,
  // The sign is the Dr/Cr column's; the figure has none.
  balance: (paise) => formatIndian(Math.abs(paise)),
  narration: restyle({
    upi: (n) => `UPI OUT/${n.ref}/${n.vpa}/${n.note}`,
    neft: (n) => `NEFT IN/${n.ifsc.slice(0, 4)}N52${n.ifsc.slice(-6)}/${n.payer}/${n.note}`,
    imps: (n) => `IMPS IN/${n.ref}/${n.party}/${n.bank ?? 'FDRL'}/${n.note}`,
    atm: (n) => `CASH WDL ATM ${n.ref} ${n.place}`,
  }),
  openingRow: 'Opening Balance',
  totalRow: 'GRAND TOTAL',
  footer: (page, pages) => `Page ${page} of ${pages}    This is a computer generated statement. Federal Bank - Your Perfect Banking Partner`,
};
