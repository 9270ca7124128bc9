/**
 * Kotak Mahindra Bank statement of account: dd-Mon-yy dates, an OPENING BALANCE line, and
 * balances printed with a bracketed Cr/Dr suffix (`1,09,550.00(Cr)`).
 */
import { formatIndian } from '../../domain/money.ts';
import type { StatementLayout } from '../layout-types.ts';
import { customerId, ddMonYy, ddMonYyyy } from './formats.ts';

export const kotakLayout: StatementLayout = {
  id: 'kotak',
  title: () => ['Kotak Mahindra Bank', 'Statement of Account'],
  identity: (a, from, to) => [
    `Name : ${a.holderName}`,
    ...a.address,
    `CRN : ${customerId(a.accountNumber)}`,
    `Account No. : ${a.accountNumber}`,
    `Account Type : ${a.accountType === 'SAVINGS' ? 'Savings Account' : 'Current Account'}`,
    'Branch : MUMBAI - ANDHERI WEST',
    `IFSC Code : ${a.ifsc}`,
    `MICR : ${a.micr}`,
    'Currency : INR',
    `Period: ${ddMonYyyy(from)} - ${ddMonYyyy(to)}`,
  ],
  columns: [
    { key: 'date', label: 'Date', x: 30, width: 40, align: 'left' },
    { key: 'narration', label: 'Narration', x: 74, width: 210, align: 'left' },
    { key: 'chq', label: 'Chq/Ref No', x: 288, width: 56, align: 'left' },
    { key: 'debit', label: 'Withdrawal (Dr)', x: 348, width: 64, align: 'right' },
    { key: 'credit', label: 'Deposit (Cr)', x: 416, width: 64, align: 'right' },
    { key: 'balance', label: 'Balance', x: 484, width: 81, align: 'right' },
  ],
  date: ddMonYy,
  amount: formatIndian,
  balance: (paise) => `${formatIndian(Math.abs(paise))}(${paise < 0 ? 'Dr' : 'Cr'})`,
  openingRow: 'OPENING BALANCE',
  footer: (page, pages) => `Page ${page} of ${pages}    Kotak Mahindra Bank Ltd. Regd. Office: 27 BKC, C 27, G Block, Bandra Kurla Complex, Bandra (E), Mumbai 400051`,
};
