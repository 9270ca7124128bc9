/**
 * The sandbox FIP's customers: every 10-digit mobile number is one, and everything about it
 * (holder, accounts, years of activity) is derived from the number, so the same number gives
 * the same data on every run and every machine. docs/aa.md ("The sandbox AA and FIP") states
 * the rule.
 *
 * An account's history is generated month by month from its opening date, each month by
 * `plantedActivity` (salary, EMIs, bounces, rent, cash, ATM, background spends) seeded by the
 * account and the month, and chained: a month opens on the balance the previous month closed
 * on. A request for any date range therefore sees the same rows for the same days, with a
 * running balance that agrees across requests, and only the rows of that range are written.
 */
import { createHash } from 'node:crypto';
import { addDays, type CalendarDate } from '../../lib/calendar-date.ts';
import { plantedActivity, LENDERS, type NarrationBank, type PlantedLoan, type PlantedOptions } from '../../samples/planted-activity.ts';
import { sampleAccount, seededRandom } from '../../samples/sample-transactions.ts';
import type { DepositMode } from '../deposit-data.ts';
import { maskAccountNumber, type DepositDocumentInput, type DepositDocumentTransaction } from '../deposit-document.ts';

export interface SandboxBank {
  code: NarrationBank;
  name: string;
  fipId: string;
  ifscPrefix: string;
}

/** The sandbox's FIPs: the banks whose narrations the planted-activity generator knows. */
export const SANDBOX_BANKS: readonly SandboxBank[] = [
  { code: 'hdfc', name: 'HDFC Bank', fipId: 'HDFC-SANDBOX-FIP', ifscPrefix: 'HDFC' },
  { code: 'sbi', name: 'State Bank of India', fipId: 'SBI-SANDBOX-FIP', ifscPrefix: 'SBIN' },
  { code: 'icici', name: 'ICICI Bank', fipId: 'ICICI-SANDBOX-FIP', ifscPrefix: 'ICIC' },
  { code: 'axis', name: 'Axis Bank', fipId: 'AXIS-SANDBOX-FIP', ifscPrefix: 'UTIB' },
];

export interface SandboxAccount {
  /** 0-based place among the customer's accounts. */
  index: number;
  bank: SandboxBank;
  fipId: string;
  accountNumber: string;
  maskedAccNumber: string;
  linkRefNumber: string;
  accType: 'SAVINGS';
  ifsc: string;
  micr: string;
  branch: string;
  openingDate: CalendarDate;
  /** The primary account receives the salary and pays the EMIs; the others are fed from it. */
  role: 'primary' | 'secondary';
  seed: number;
}

export interface SandboxCustomer {
  mobile: string;
  /** 'stressed' customers bounce EMIs and cheques several times a year. */
  profile: 'regular' | 'stressed';
  holder: { name: string; dob: CalendarDate; email: string; pan: string; address: string };
  accounts: SandboxAccount[];
}

export function isSandboxMobile(text: string): boolean {
  return /^\d{10}$/.test(text);
}

/** FNV-1a: a stable 32-bit seed from text. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  // version 4 and variant bits set, so FIUs that insist on v4-shaped ids accept it
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const FIRST_NAMES = ['AARAV', 'ANANYA', 'ROHAN', 'PRIYANKA', 'VIKRAM', 'MEERA', 'ARJUN', 'SNEHA', 'KARAN', 'DIVYA', 'SAMEER', 'POOJA', 'NIKHIL', 'ISHITA', 'RAJESH', 'LAKSHMI'];
const LAST_NAMES = ['SHARMA', 'IYER', 'KULKARNI', 'REDDY', 'BANERJEE', 'MEHTA', 'NAIR', 'GUPTA', 'PATEL', 'DESHPANDE', 'SINGH', 'MENON', 'JOSHI', 'RAO'];
const PLACES = [
  { street: 'MG ROAD', city: 'PUNE', pin: '411001', branch: 'PUNE CAMP' },
  { street: 'LINK ROAD, ANDHERI WEST', city: 'MUMBAI', pin: '400053', branch: 'MUMBAI ANDHERI WEST' },
  { street: '100 FEET ROAD, INDIRANAGAR', city: 'BENGALURU', pin: '560038', branch: 'BENGALURU INDIRANAGAR' },
  { street: 'ANNA SALAI', city: 'CHENNAI', pin: '600002', branch: 'CHENNAI ANNA SALAI' },
  { street: 'SECTOR 18', city: 'NOIDA', pin: '201301', branch: 'NOIDA SECTOR 18' },
  { street: 'BANJARA HILLS ROAD NO 12', city: 'HYDERABAD', pin: '500034', branch: 'HYDERABAD BANJARA HILLS' },
];
const EMPLOYERS = ['ZENITH SOFTWARE SOLUTIONS PVT LTD', 'BLUEWAVE LOGISTICS PVT LTD', 'NORTHSTAR HEALTHCARE LTD', 'KAVERI TEXTILES LTD', 'ORBIT FINTECH PRIVATE LIMITED', 'SAHYADRI ENGINEERING WORKS'];
const LANDLORDS = [
  { landlord: 'SURESH MENON', landlordVpa: 'sureshmenon@okhdfcbank' },
  { landlord: 'GEETA AGARWAL', landlordVpa: 'geeta.agarwal@okicici' },
  { landlord: 'FARHAN QURESHI', landlordVpa: 'farhanq@oksbi' },
];

/**
 * The customer behind a mobile number. Last digit: 0 → no accounts, 1–4 → one savings
 * account, 5–8 → two at different banks, 9 → three (two at the same bank). Second-last digit
 * 7, 8 or 9 → a 'stressed' profile (frequent bounces).
 */
export function sandboxCustomer(mobile: string): SandboxCustomer {
  if (!isSandboxMobile(mobile)) throw new TypeError('a sandbox customer is a 10-digit mobile number');
  const seed = seedOf(`customer:${mobile}`);
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const first = pick(FIRST_NAMES);
  const last = pick(LAST_NAMES);
  const place = pick(PLACES);
  const year = int(1972, 2001);
  const dob = `${year}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}` as CalendarDate;
  const holder = {
    name: `${first} ${last}`,
    dob,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${int(10, 99)}@example.in`,
    // Masked as FIPs send it: only the last five characters are real.
    pan: `XXXXX${int(1000, 9999)}${String.fromCharCode(65 + int(0, 25))}`,
    address: `${int(1, 250)}, ${place.street}, ${place.city} ${place.pin}`,
  };
  const lastDigit = Number(mobile[9]);
  const count = lastDigit === 0 ? 0 : lastDigit <= 4 ? 1 : lastDigit <= 8 ? 2 : 3;
  const firstBank = int(0, SANDBOX_BANKS.length - 1);
  const accounts: SandboxAccount[] = [];
  for (let index = 0; index < count; index++) {
    // The third account is at the first account's bank, so one FIP holds two accounts.
    const bank = SANDBOX_BANKS[index === 2 ? firstBank : (firstBank + index) % SANDBOX_BANKS.length]!;
    const accountSeed = seedOf(`account:${mobile}:${index}`);
    const sample = sampleAccount(accountSeed, bank.ifscPrefix);
    const openingYear = int(2018, 2021);
    const openingDate = `${openingYear}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}` as CalendarDate;
    accounts.push({
      index,
      bank,
      fipId: bank.fipId,
      accountNumber: sample.accountNumber,
      maskedAccNumber: maskAccountNumber(sample.accountNumber),
      linkRefNumber: uuidFrom(`link:${mobile}:${index}`),
      accType: 'SAVINGS',
      ifsc: sample.ifsc,
      micr: sample.micr,
      branch: place.branch,
      openingDate,
      role: index === 0 ? 'primary' : 'secondary',
      seed: accountSeed,
    });
  }
  return { mobile, profile: Number(mobile[8]) >= 7 ? 'stressed' : 'regular', holder, accounts };
}

// ---------------------------------------------------------------------------------------
// Activity

/** One row of an account's history, with the time of day it happened (IST). */
export interface SandboxRow extends DepositDocumentTransaction {
  time: string;
  /** Milliseconds since the epoch of `date`T`time`+05:30. */
  at: number;
}

interface MonthOfRows {
  rows: SandboxRow[];
  closingPaise: number;
}

interface AccountPlan {
  employer: string;
  salaryDay: number;
  salaryPaise: number;
  salaryChannel: 'neft' | 'imps';
  rent: PlantedOptions['rent'];
  noisePerMonth: number;
  initialDepositPaise: number;
  loans: { loan: PlantedLoan; startMonth: number; endMonth: number }[];
}

const monthIndexOf = (date: CalendarDate) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
const monthStart = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01` as CalendarDate;
const monthEnd = (index: number) => addDays(monthStart(index + 1), -1);
const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

/** The calendar day in India of an instant. */
export function istDate(at: Date): CalendarDate {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10) as CalendarDate;
}

function planOf(account: SandboxAccount): AccountPlan {
  const random = seededRandom(account.seed ^ 0x2545f491);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const opening = monthIndexOf(account.openingDate);
  const loans: AccountPlan['loans'] = [];
  if (account.role === 'primary') {
    // Loans one after another (sometimes overlapping), until well past any date asked for.
    let start = opening + int(0, 8);
    while (start < 2045 * 12) {
      const tenure = int(18, 48);
      loans.push({
        loan: {
          lender: pick(LENDERS),
          loanRef: `${pick(['P4', 'TC', 'HD', 'LT', 'AB'])}${int(100, 999)}PL${String(int(0, 99999999)).padStart(8, '0')}`,
          mandate: pick(['ach', 'nach', 'ecs'] as const),
          amountPaise: int(40, 160) * 100_00,
          dayOfMonth: int(5, 12),
          disbursalPaise: int(2, 8) * 1_00_000_00,
        },
        startMonth: start,
        endMonth: start + tenure,
      });
      start += int(Math.floor(tenure / 2), tenure + 10);
    }
  }
  return {
    employer: pick(EMPLOYERS),
    salaryDay: int(3, 7),
    salaryPaise: int(60, 160) * 1_000_00 + int(0, 9) * 100_00,
    salaryChannel: pick(['neft', 'neft', 'imps'] as const),
    rent: int(0, 2) === 0 ? false : { ...pick(LANDLORDS), amountPaise: int(10, 30) * 1_000_00, dayOfMonth: int(3, 6), channel: pick(['upi', 'imps'] as const) },
    noisePerMonth: account.role === 'primary' ? int(9, 14) : int(3, 6),
    initialDepositPaise: int(5, 50) * 1_000_00,
    loans,
  };
}

/** The mode a FIP would record for a narration. */
function modeOf(narration: string, chqNum: string | null): DepositMode {
  if (chqNum) return 'CHEQUE';
  if (/^UPI/.test(narration)) return 'UPI';
  if (/^IMPS/.test(narration)) return 'IMPS';
  if (/NEFT/.test(narration)) return 'NEFT';
  if (/^RTGS/.test(narration)) return 'RTGS';
  if (/^NACH/.test(narration)) return 'NACH';
  if (/^ECS/.test(narration)) return 'ECS';
  if (/^ACH/.test(narration)) return 'AUTO_DEBIT';
  if (/^POS/.test(narration)) return 'CARD';
  if (/ATM/.test(narration)) return 'ATM';
  if (/CASH/.test(narration)) return 'CASH';
  return 'OTHERS';
}

type Draft = { date: CalendarDate; narration: string; chqNum: string | null; type: 'debit' | 'credit'; amountPaise: number; balancePaise: number };

/** One month of an account, opening on `openingPaise`. */
function generateMonth(customer: SandboxCustomer, account: SandboxAccount, plan: AccountPlan, month: number, openingPaise: number): MonthOfRows {
  const random = seededRandom(account.seed ^ Math.imul(month, 0x9e3779b1));
  const chance = (p: number) => random() < p;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const openingMonth = monthIndexOf(account.openingDate);
  const from = month === openingMonth ? account.openingDate : monthStart(month);
  const to = monthEnd(month);
  const primary = account.role === 'primary';
  const stressed = customer.profile === 'stressed';
  const years = Math.floor((month - openingMonth) / 12);

  const active = primary ? plan.loans.filter((l) => l.startMonth <= month && month <= l.endMonth) : [];
  const loans = active.map((l): PlantedLoan => ({ ...l.loan, disbursalPaise: l.startMonth === month ? l.loan.disbursalPaise : null }));
  const emiLoan = active.findIndex((l) => l.startMonth < month);
  const outgoings = loans.reduce((sum, l) => sum + (l.disbursalPaise === null ? l.amountPaise : 0), 0) + (primary && plan.rent ? plan.rent.amountPaise : 0);

  // Money comes in before anything goes out: the opening deposit in the first month, later a
  // transfer from the holder's own account elsewhere whenever the balance runs low.
  const pre: Draft[] = [];
  let balance = openingPaise;
  const topUp = (amountPaise: number, narration: string) => {
    balance += amountPaise;
    pre.push({ date: from, narration, chqNum: null, type: 'credit', amountPaise, balancePaise: balance });
  };
  if (month === openingMonth) topUp(plan.initialDepositPaise, 'CASH DEP-ACCOUNT OPENING DEPOSIT');
  const floor = outgoings + (primary ? 25_000_00 : 10_000_00);
  const ownTransfer = () => `IMPS-${String(int(100000000000, 999999999999))}-${customer.holder.name}-OWN ACCOUNT-XXXXXXX${int(1000, 9999)}-SELF TRANSFER`;
  if (balance < floor) topUp(Math.ceil((floor - balance + 20_000_00) / 10_000_00) * 10_000_00, ownTransfer());
  // Savings do not pile up for years: above a ceiling, the excess goes into a fixed deposit.
  const salaryPaise = Math.round((plan.salaryPaise * 1.07 ** years) / 100_00) * 100_00;
  const ceiling = primary ? 3 * salaryPaise : 2_00_000_00;
  if (balance > ceiling) {
    const amountPaise = Math.floor((balance - ceiling / 2) / 10_000_00) * 10_000_00;
    balance -= amountPaise;
    pre.push({ date: from, narration: `TRF TO FD A/C XXXXXXXX${int(1000, 9999)}-AUTO SWEEP`, chqNum: null, type: 'debit', amountPaise, balancePaise: balance });
  }

  const options: Partial<PlantedOptions> & { seed: number } = {
    seed: (account.seed ^ Math.imul(month + 1, 0x85ebca6b)) >>> 0,
    from,
    to,
    openingBalancePaise: balance,
    holderName: customer.holder.name,
    narrationBank: account.bank.code,
    salary: primary
      ? {
          employer: plan.employer,
          dayOfMonth: plan.salaryDay,
          amountPaise: salaryPaise,
          raisedAmountPaise: null,
          raiseMonthIndex: 0,
          lateMonthIndex: chance(0.1) ? 0 : null,
          lateByDays: int(4, 8),
          channel: plan.salaryChannel,
        }
      : false,
    loans,
    bounces:
      primary
        ? {
            autoDebitMonthIndex: emiLoan >= 0 && chance(stressed ? 0.35 : 0.08) ? 0 : null,
            autoDebitLoanIndex: Math.max(emiLoan, 0),
            issuedChequeMonthIndex: chance(stressed ? 0.15 : 0.04) ? 0 : null,
            depositedChequeMonthIndex: chance(stressed ? 0.12 : 0.04) ? 0 : null,
          }
        : false,
    selfTransfers: primary && month % 4 === 0,
    sisterCompany: false,
    rent: primary ? plan.rent : false,
    cashDeposits: primary && month % 2 === 0 ? { monthsAboveSalary: 0 } : false,
    atmWithdrawals: primary || month % 2 === 0,
    noisePerMonth: plan.noisePerMonth,
    allowOverdraft: false,
  };
  let drafts: Draft[];
  try {
    drafts = plantedActivity(options).transactions;
  } catch {
    // A planted debit could not be paid: give the month a larger transfer in and draw again.
    topUp(1_00_000_00, ownTransfer());
    drafts = plantedActivity({ ...options, openingBalancePaise: balance, allowOverdraft: true }).transactions;
  }

  const all = [...pre, ...drafts];
  const perDay = new Map<string, number>();
  const rows = all.map((t): SandboxRow => {
    const n = perDay.get(t.date) ?? 0;
    perDay.set(t.date, n + 1);
    // 09:00 IST, then 11 minutes apart: every row of a day has its own time, all before midnight.
    const minutes = Math.min(9 * 60 + n * 11, 23 * 60 + 59);
    const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
    const reference = t.chqNum ?? /\d{12}/.exec(t.narration)?.[0] ?? /[A-Z]{4}N\d{11}/.exec(t.narration)?.[0] ?? '';
    return {
      date: t.date,
      time,
      at: Date.parse(`${t.date}T${time}+05:30`),
      narration: t.narration,
      type: t.type,
      amountPaise: t.amountPaise,
      balancePaise: t.balancePaise,
      mode: modeOf(t.narration, t.chqNum),
      reference,
      transactionId: `${account.bank.ifscPrefix}${t.date.replace(/-/g, '')}${String(n + 1).padStart(3, '0')}${account.index}`,
    };
  });
  return { rows, closingPaise: all.at(-1)?.balancePaise ?? openingPaise };
}

interface AccountHistory {
  plan: AccountPlan;
  firstMonth: number;
  months: MonthOfRows[];
}

/**
 * Account histories, generated on demand and kept for the most recently used accounts (a
 * history of eight years is a few thousand rows).
 */
export class SandboxLedger {
  private readonly histories = new Map<string, AccountHistory>();
  private readonly maxAccounts: number;
  constructor(maxAccounts = 64) {
    this.maxAccounts = maxAccounts;
  }

  /** The rows of `account` dated `from`…`to` (inclusive), and the balance before the first of them. */
  rows(customer: SandboxCustomer, account: SandboxAccount, from: CalendarDate, to: CalendarDate): { rows: SandboxRow[]; openingBalancePaise: number } {
    const history = this.history(customer, account, monthIndexOf(to));
    const rows: SandboxRow[] = [];
    let before = 0;
    const fromMonth = monthIndexOf(from);
    history.months.forEach((m, i) => {
      const month = history.firstMonth + i;
      if (month < fromMonth) {
        before = m.closingPaise;
        return;
      }
      for (const row of m.rows) {
        if (row.date < from) before = row.balancePaise;
        else if (row.date <= to) rows.push(row);
      }
    });
    return { rows, openingBalancePaise: before };
  }

  private history(customer: SandboxCustomer, account: SandboxAccount, untilMonth: number): AccountHistory {
    const key = `${customer.mobile}:${account.index}`;
    let history = this.histories.get(key);
    if (history) this.histories.delete(key); // re-inserted below: the Map's order is the LRU order
    history ??= { plan: planOf(account), firstMonth: monthIndexOf(account.openingDate), months: [] };
    this.histories.set(key, history);
    if (this.histories.size > this.maxAccounts) this.histories.delete(this.histories.keys().next().value!);
    while (history.firstMonth + history.months.length <= untilMonth) {
      const month = history.firstMonth + history.months.length;
      const opening = history.months.at(-1)?.closingPaise ?? 0;
      history.months.push(generateMonth(customer, account, history.plan, month, opening));
    }
    return history;
  }
}

/** A DataFilter of the consent (ReBIT SignedConsentDetail.DataFilter). */
export interface SandboxDataFilter {
  type: 'TRANSACTIONTYPE' | 'TRANSACTIONAMOUNT';
  operator: '=' | '!=' | '>' | '<' | '>=' | '<=';
  value: string;
}

function passes(row: SandboxRow, filter: SandboxDataFilter): boolean {
  let cmp: number;
  if (filter.type === 'TRANSACTIONTYPE') {
    const wanted = filter.value.trim().toUpperCase();
    const type = row.type === 'credit' ? 'CREDIT' : 'DEBIT';
    cmp = type === wanted ? 0 : 1;
    if (filter.operator === '=') return cmp === 0;
    if (filter.operator === '!=') return cmp !== 0;
    return true; // an ordering of transaction types means nothing: the filter is ignored
  }
  const limit = Math.round(Number(filter.value) * 100);
  if (!Number.isFinite(limit)) return true;
  cmp = row.amountPaise - limit;
  switch (filter.operator) {
    case '=': return cmp === 0;
    case '!=': return cmp !== 0;
    case '>': return cmp > 0;
    case '<': return cmp < 0;
    case '>=': return cmp >= 0;
    case '<=': return cmp <= 0;
  }
}

/**
 * What the FIP sends for one account and an FIDataRange: the rows whose instant lies in
 * [from, min(to, now)], the document's period in Indian days, Profile and Summary.
 */
export function sandboxDocumentInput(
  ledger: SandboxLedger,
  customer: SandboxCustomer,
  account: SandboxAccount,
  range: { from: Date; to: Date },
  now: Date,
  options: { transactions?: boolean; filters?: SandboxDataFilter[] } = {},
): DepositDocumentInput {
  const until = Math.min(range.to.getTime(), now.getTime());
  const periodFrom = istDate(range.from);
  const periodTo = istDate(new Date(Math.max(until, range.from.getTime())));
  const { rows, openingBalancePaise } = ledger.rows(customer, account, periodFrom, periodTo);
  let opening = openingBalancePaise;
  const inRange: SandboxRow[] = [];
  for (const row of rows) {
    if (row.at < range.from.getTime()) opening = row.balancePaise;
    else if (row.at <= until) inRange.push(row);
  }
  const filters = options.filters ?? [];
  const kept = options.transactions === false ? [] : inRange.filter((row) => filters.every((f) => passes(row, f)));
  const closing = inRange.at(-1)?.balancePaise ?? opening;
  return {
    holder: { ...customer.holder, mobile: customer.mobile, nominee: 'REGISTERED', ckycCompliant: true },
    account: {
      number: account.accountNumber,
      ifsc: account.ifsc,
      micr: account.micr,
      type: 'SAVINGS',
      linkedAccRef: account.linkRefNumber,
      branch: account.branch,
      openingDate: account.openingDate,
      status: 'ACTIVE',
      holdersType: 'SINGLE',
    },
    transactions: kept.map(({ at: _at, ...t }) => t),
    // Without rows the document's Summary shows this balance, which must be the range's last.
    openingBalancePaise: kept.length > 0 ? opening : closing,
    period: { from: periodFrom, to: periodTo },
  };
}
