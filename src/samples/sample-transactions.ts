/**
 * Seeded, realistic account activity for generated statements: salary, UPI spends, EMIs, ATM
 * withdrawals, cheques, NEFT/IMPS transfers, with narrations long enough to wrap.
 */
import { addMonths, type CalendarDate } from '../lib/calendar-date.ts';

export interface SampleTransaction {
  date: CalendarDate;
  narration: string;
  chqNum: string | null;
  type: 'debit' | 'credit';
  amountPaise: number;
  balancePaise: number;
}

export interface SampleAccount {
  holderName: string;
  address: string[];
  accountNumber: string;
  ifsc: string;
  micr: string;
  accountType: 'SAVINGS' | 'CURRENT';
  /** Overdraft limit in paise, for current accounts allowed to go negative. */
  odLimitPaise: number;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MERCHANTS = ['SWIGGY LIMITED', 'ZOMATO PRIVATE LIMITED', 'AMAZON PAY INDIA', 'RELIANCE RETAIL LTD', 'BIGBASKET', 'IRCTC', 'UBER INDIA SYSTEMS', 'APOLLO PHARMACY', 'BHARTI AIRTEL LTD', 'TATA POWER DDL'];
const PEOPLE = ['RAHUL SHARMA', 'PRIYA NAIR', 'ANIL KUMAR', 'SUNITA DEVI', 'MOHAMMED IRFAN', 'KAVYA REDDY'];
const BANK_CODES = ['HDFC0001234', 'ICIC0000456', 'SBIN0004567', 'UTIB0000789', 'KKBK0000123'];

export interface SampleOptions {
  seed: number;
  from: CalendarDate;
  to: CalendarDate;
  /** Roughly how many transactions; the exact count depends on the seed. */
  count: number;
  openingBalancePaise: number;
  /** Let the balance go below zero (overdraft accounts). */
  allowOverdraft?: boolean;
  employer?: string;
}

function dayIndex(date: CalendarDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

function fromDayIndex(index: number): CalendarDate {
  return new Date(index * 86_400_000).toISOString().slice(0, 10) as CalendarDate;
}

export function sampleTransactions(options: SampleOptions): SampleTransaction[] {
  const random = seededRandom(options.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const employer = options.employer ?? 'ACME TECHNOLOGIES PVT LTD';
  const first = dayIndex(options.from);
  const last = dayIndex(options.to);
  const days = Array.from({ length: options.count }, () => int(first, last)).sort((a, b) => a - b);

  // Salary on the 1st of each month inside the range.
  const salaryDays = new Set<number>();
  for (let month = options.from.slice(0, 7) + '-01'; month <= options.to; month = addMonths(month as CalendarDate, 1)) {
    const d = dayIndex(month as CalendarDate);
    if (d >= first) salaryDays.add(d);
  }
  const entries = [...days.map((day) => ({ day, salary: false })), ...[...salaryDays].map((day) => ({ day, salary: true }))];
  entries.sort((a, b) => a.day - b.day || Number(b.salary) - Number(a.salary));

  let balance = options.openingBalancePaise;
  const out: SampleTransaction[] = [];
  for (const { day, salary } of entries) {
    const date = fromDayIndex(day);
    let type: 'debit' | 'credit';
    let amount: number;
    let narration: string;
    let chqNum: string | null = null;
    const ref = String(int(100000000000, 999999999999));
    if (salary) {
      type = 'credit';
      amount = int(45_000, 95_000) * 100;
      narration = `NEFT CR-${pick(BANK_CODES)}-${employer}-SALARY ${date.slice(0, 7)}`;
    } else {
      const kind = int(0, 9);
      if (kind <= 4) {
        type = 'debit';
        amount = int(50, 4_000) * 100 + int(0, 99);
        narration = `UPI/DR/${ref}/${pick(MERCHANTS)}/YESB/${pick(MERCHANTS).split(' ')[0]!.toLowerCase()}@ybl/Payment from Phone`;
      } else if (kind === 5) {
        type = 'debit';
        amount = int(10, 100) * 50_000;
        narration = `ATM WDL/CASH WITHDRAWAL/${ref.slice(0, 6)}/MUMBAI ANDHERI EAST`;
      } else if (kind === 6) {
        type = 'debit';
        amount = int(8_000, 25_000) * 100;
        narration = 'ACH D- BAJAJ FINANCE LTD-P400PLN0123456 EMI';
      } else if (kind === 7) {
        type = 'debit';
        amount = int(1_000, 30_000) * 100;
        chqNum = String(int(100000, 999999));
        narration = `CHQ PAID-MICR CTS-MU-${pick(PEOPLE)}`;
      } else {
        type = 'credit';
        amount = int(500, 20_000) * 100;
        narration = `IMPS-${ref}-${pick(PEOPLE)}-${pick(BANK_CODES).slice(0, 4)}-XXXXXXX${int(1000, 9999)}-REFUND FOR SHARED EXPENSES`;
      }
    }
    if (type === 'debit' && !options.allowOverdraft && balance - amount < 0) {
      type = 'credit';
      narration = `IMPS-${ref}-${pick(PEOPLE)}-SELF TRANSFER`;
    }
    balance += type === 'credit' ? amount : -amount;
    out.push({ date, narration, chqNum, type, amountPaise: amount, balancePaise: balance });
  }
  return out;
}

export function sampleAccount(seed: number, ifscPrefix: string, accountType: SampleAccount['accountType'] = 'SAVINGS'): SampleAccount {
  const random = seededRandom(seed ^ 0x5bd1e995);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return {
    holderName: 'AYUSH PATIL',
    address: ['FLAT 12, SUNRISE APARTMENTS', 'LINK ROAD, ANDHERI WEST', 'MUMBAI 400053'],
    accountNumber: `5010${digits(10)}`,
    ifsc: `${ifscPrefix}0${digits(6)}`,
    micr: `400${digits(6)}`,
    accountType,
    odLimitPaise: accountType === 'CURRENT' ? 50_000_00 : 0,
  };
}
