/**
 * Seeded account activity with planted, exactly-known patterns, for testing the insights
 * (issue 11 §5): a salary from one employer (one month late, one raise), EMIs to lenders by
 * ACH/NACH/ECS and a loan disbursal, auto-debit and cheque returns with their charges, transfers
 * to the holder's own accounts and to a sister company, monthly rent, cash deposits and ATM
 * withdrawals, all over background noise (UPI and card spends, transfers with friends) that is
 * built so that it never looks like any of them. Alongside the rows comes `PlantedTruth`: where
 * each planted row is (its index in the list) and what it is, so tests can check the analysis
 * row for row. docs/insights.md ("Generated statements with planted patterns") describes both.
 */
import { loadBankCatalogue } from '../banks/bank-catalogue.ts';
import { addDays, addMonths, monthOf, monthsBetween, type CalendarDate } from '../lib/calendar-date.ts';
import { sampleAccount, seededRandom, type SampleTransaction } from './sample-transactions.ts';
import type { SampleStatement } from './statement-pages.ts';

/** How the holder's own bank words salary and own-account transfers (the rest have one wording everywhere). */
export type NarrationBank = 'hdfc' | 'sbi' | 'icici' | 'axis';

export interface PlantedSalary {
  employer: string;
  /** The day of the month it is due (1–28); each credit lands within ±2 days of it. */
  dayOfMonth: number;
  amountPaise: number;
  /** From the `raiseMonthIndex`-th month of the range (0-based) on, the salary is this much; null for no raise. */
  raisedAmountPaise: number | null;
  raiseMonthIndex: number;
  /** The month (0-based index in the range) whose salary comes `lateByDays` after its due day; null for none. */
  lateMonthIndex: number | null;
  lateByDays: number;
  channel: 'neft' | 'imps';
}

export interface PlantedLoan {
  lender: string;
  loanRef: string;
  mandate: 'ach' | 'nach' | 'ecs';
  amountPaise: number;
  dayOfMonth: number;
  /** Paid out by NEFT inside the range (in the first month, EMIs from the next); null for a loan taken before the range. */
  disbursalPaise: number | null;
}

export interface PlantedBounces {
  /** The EMI of loan `autoDebitLoanIndex` (in `loans`) of this month (0-based) is returned unpaid, reversed and charged. */
  autoDebitMonthIndex: number | null;
  autoDebitLoanIndex: number;
  /** A cheque the holder issued is returned for insufficient funds, in this month. */
  issuedChequeMonthIndex: number | null;
  /** A cheque the holder deposited is returned unpaid, in this month. */
  depositedChequeMonthIndex: number | null;
}

export interface PlantedRent {
  landlord: string;
  landlordVpa: string;
  amountPaise: number;
  /** Paid within ±1 day of it (2–27). */
  dayOfMonth: number;
  channel: 'upi' | 'imps';
}

export interface PlantedOptions {
  seed: number;
  from: CalendarDate;
  to: CalendarDate;
  openingBalancePaise: number;
  holderName: string;
  narrationBank: NarrationBank;
  /** false: no salary. Every pattern below can be switched off the same way. */
  salary: PlantedSalary | false;
  loans: PlantedLoan[];
  bounces: PlantedBounces | false;
  /** Transfers to and from the holder's own account at another bank. */
  selfTransfers: boolean;
  sisterCompany: string | false;
  rent: PlantedRent | false;
  /** Small cash deposits in about half the months, plus, in this many months, deposits that add up to more than the salary. */
  cashDeposits: { monthsAboveSalary: number } | false;
  atmWithdrawals: boolean;
  /** About this many background rows a month. */
  noisePerMonth: number;
  allowOverdraft: boolean;
}

/** The returned-payment kinds planted; `auto_debit_return` is an ACH/NACH/ECS EMI, the others cheques. */
export type PlantedBounceKind = 'auto_debit_return' | 'issued_cheque_return' | 'deposited_cheque_return';

/** Where each planted row is in `transactions` (0-based) and what it is; see docs/insights.md. */
export interface PlantedTruth {
  holderName: string;
  salary: {
    employer: string;
    indexes: number[];
    /** The month each credit pays for (`YYYY-MM`, the month its narration names): due by the 15th, the month before the one it is due in. */
    months: string[];
    /** The month (as in `months`) whose salary came late, or null. */
    lateMonth: string | null;
    lateByDays: number;
    amountsPaise: number[];
    /** The first month (as in `months`) paid at the raised amount, or null. */
    raiseMonth: string | null;
    multiplesOf1000: boolean;
  } | null;
  /** One per loan: every EMI debit (including one later returned unpaid), oldest first. */
  emis: { lender: string; loanRef: string; mandate: PlantedLoan['mandate']; indexes: number[]; amountPaise: number; dayOfMonth: number }[];
  disbursals: { lender: string; index: number; amountPaise: number }[];
  /** `bouncedIndex`: the debit or credit that was returned; `returnIndex`: the reversal; `chargeIndex`: the bank's charge. */
  bounces: { kind: PlantedBounceKind; bouncedIndex: number; returnIndex: number; chargeIndex: number; lender: string | null; chequeNumber: string | null }[];
  /** Both directions, to and from the holder's own account elsewhere. */
  selfTransfers: number[];
  sisterCompany: string | null;
  sisterTransfers: number[];
  rent: { landlord: string; indexes: number[]; amountPaise: number } | null;
  cashDeposits: number[];
  /** Months (`YYYY-MM`) whose cash deposits add up to more than their salary credits. */
  cashAboveSalaryMonths: string[];
  atmWithdrawals: number[];
  /** Every row that is none of the above. */
  background: number[];
}

export const DEFAULT_PLANTED: Omit<PlantedOptions, 'seed'> = {
  from: '2026-04-01' as CalendarDate,
  to: '2026-09-30' as CalendarDate,
  openingBalancePaise: 1_50_000_00,
  holderName: 'AYUSH PATIL',
  narrationBank: 'hdfc',
  salary: {
    employer: 'ZENITH SOFTWARE SOLUTIONS PVT LTD',
    dayOfMonth: 3,
    amountPaise: 84_350_00,
    raisedAmountPaise: 92_780_00,
    raiseMonthIndex: 4,
    lateMonthIndex: 2,
    lateByDays: 7,
    channel: 'neft',
  },
  loans: [
    { lender: 'BAJAJ FINANCE LTD', loanRef: 'P400PLN04417723', mandate: 'ach', amountPaise: 12_437_00, dayOfMonth: 7, disbursalPaise: null },
    { lender: 'TATA CAPITAL FINANCIAL SERVICES', loanRef: 'TCFPL0630001882', mandate: 'nach', amountPaise: 8_915_00, dayOfMonth: 10, disbursalPaise: 3_00_000_00 },
  ],
  bounces: { autoDebitMonthIndex: 3, autoDebitLoanIndex: 0, issuedChequeMonthIndex: 1, depositedChequeMonthIndex: 4 },
  selfTransfers: true,
  sisterCompany: 'PATIL AGRO INDUSTRIES PVT LTD',
  rent: { landlord: 'SURESH MENON', landlordVpa: 'sureshmenon@okhdfcbank', amountPaise: 22_000_00, dayOfMonth: 5, channel: 'upi' },
  cashDeposits: { monthsAboveSalary: 0 },
  atmWithdrawals: true,
  noisePerMonth: 22,
  allowOverdraft: false,
};

/** Real Indian NBFC and bank lender names, for callers choosing loans. */
export const LENDERS = [
  'BAJAJ FINANCE LTD',
  'HDB FINANCIAL SERVICES',
  'TATA CAPITAL FINANCIAL SERVICES',
  'ADITYA BIRLA FINANCE LTD',
  'L AND T FINANCE LTD',
  'CHOLAMANDALAM INVESTMENT AND FINANCE',
  'MUTHOOT FINANCE LTD',
  'FULLERTON INDIA CREDIT CO LTD',
  'MAHINDRA AND MAHINDRA FINANCIAL SERVICES',
  'IDFC FIRST BANK LTD',
  'HDFC BANK LTD',
  'ICICI BANK LTD',
] as const;

// Background counterparties: none a lender, an employer, a landlord or a word any pattern keys on.
const MERCHANTS = ['SWIGGY LIMITED', 'ZOMATO PRIVATE LIMITED', 'BIGBASKET', 'RELIANCE RETAIL LTD', 'UBER INDIA SYSTEMS', 'APOLLO PHARMACY', 'DMART AVENUE SUPERMARTS', 'BOOKMYSHOW', 'CROMA INFINITI RETAIL', 'NYKAA E RETAIL'];
const FRIENDS = ['RAHUL SHARMA', 'PRIYA NAIR', 'ANIL KUMAR', 'KAVYA REDDY', 'MOHAMMED IRFAN', 'NEHA JOSHI'];
const FRIEND_NOTES = ['DINNER SPLIT', 'TRIP SHARE', 'GIFT', 'MOVIE TICKETS', 'BIRTHDAY'];
const CITIES = ['MUMBAI', 'PUNE', 'THANE'];
const BANK_IFSC = ['HDFC0000240', 'ICIC0000104', 'SBIN0001055', 'UTIB0000553', 'KKBK0000631', 'CITI0100000'];
const ATM_PLACES = ['MUMBAI ANDHERI EAST', 'MUMBAI POWAI', 'THANE GHODBUNDER RD'];
const CDM_PLACES = ['ANDHERI WEST', 'VERSOVA', 'LOKHANDWALA'];
const CHEQUE_PAYEES = ['SHREE GANESH TRADERS', 'OMKAR FURNISHERS'];
const CHEQUE_DRAWERS = ['VIJAY ENTERPRISES', 'SAI KRUPA AGENCIES'];
const MONTH_WORDS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** What a bank charges for a returned ACH/NACH debit or cheque: ₹500 and ₹300 plus 18% GST. */
const AUTO_DEBIT_RETURN_CHARGE = 590_00;
const CHEQUE_RETURN_CHARGE = 354_00;
/** The IFSC prefix of each bank whose wording the generator knows, so own-account transfers go to another bank. */
const OWN_IFSC_PREFIX: Record<NarrationBank, string> = { hdfc: 'HDFC', sbi: 'SBIN', icici: 'ICIC', axis: 'UTIB' };
const NARRATION_BANKS: readonly string[] = Object.keys(OWN_IFSC_PREFIX);

type Tag =
  | { kind: 'salary'; month: string; late: boolean }
  | { kind: 'emi'; loan: number }
  | { kind: 'disbursal'; loan: number }
  | { kind: 'bounce'; bounce: number; role: 'bounced' | 'return' | 'charge' }
  | { kind: 'self' | 'sister' | 'rent' | 'cash' | 'atm' }
  | { kind: 'noise' };

interface Draft {
  date: CalendarDate;
  narration: string;
  chqNum: string | null;
  type: 'debit' | 'credit';
  amountPaise: number;
  tag: Tag;
}

interface BounceDraft {
  kind: PlantedBounceKind;
  lender: string | null;
  chequeNumber: string | null;
}

/** `month` (`YYYY-MM`) and a day, clamped to 1–28 so every month has it. */
const dayIn = (month: string, day: number): CalendarDate => `${month}-${String(Math.min(28, Math.max(1, day))).padStart(2, '0')}` as CalendarDate;
const monthWord = (month: string) => `${MONTH_WORDS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/** Activity from `options.from` to `options.to`, and where every planted pattern is in it. */
export function plantedActivity(partial: Partial<PlantedOptions> & { seed: number }): { transactions: SampleTransaction[]; truth: PlantedTruth } {
  const options: PlantedOptions = { ...DEFAULT_PLANTED, ...partial };
  const random = seededRandom(options.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
  const utr = (ifsc: string) => `${ifsc.slice(0, 4)}N${options.from.slice(2, 4)}${digits(9)}`;
  const inRange = (date: CalendarDate) => date >= options.from && date <= options.to;
  const months = monthsBetween(options.from, options.to);
  const holder = options.holderName;
  const drafts: Draft[] = [];
  const add = (draft: Draft) => {
    if (inRange(draft.date)) drafts.push(draft);
    return inRange(draft.date);
  };

  // Salary: due on one day, landing within ±2 days, one month late, one raise. Paid by the 15th,
  // it is the previous month's salary (as employers pay, and as src/analysis/salary.ts reads it).
  let raiseMonth: string | null = null;
  if (options.salary) {
    const s = options.salary;
    const employerIfsc = pick(BANK_IFSC);
    months.forEach((month, i) => {
      const due = dayIn(month, s.dayOfMonth);
      const date = i === s.lateMonthIndex ? addDays(due, s.lateByDays) : addDays(due, int(-2, 2));
      const raised = s.raisedAmountPaise !== null && i >= s.raiseMonthIndex;
      const amountPaise = raised ? s.raisedAmountPaise! : s.amountPaise;
      const paysFor = s.dayOfMonth <= 15 ? monthOf(addMonths(due, -1)) : month;
      const note = `SAL ${monthWord(paysFor)}`;
      const narration =
        s.channel === 'imps'
          ? `IMPS-${digits(12)}-${s.employer}-${employerIfsc.slice(0, 4)}-XXXXXXX${digits(4)}-${note}`
          : salaryNeft(options.narrationBank, s.employer, employerIfsc, utr(employerIfsc), note);
      if (add({ date, narration, chqNum: null, type: 'credit', amountPaise, tag: { kind: 'salary', month: paysFor, late: i === s.lateMonthIndex } }) && raised && raiseMonth === null) raiseMonth = paysFor;
    });
  }

  // Loans: a disbursal by NEFT in the first month, then a fixed EMI on a fixed day.
  const bounces: BounceDraft[] = [];
  const emiDrafts: Draft[][] = [];
  options.loans.forEach((loan, l) => {
    let firstEmiMonth = 0;
    if (loan.disbursalPaise !== null) {
      const lenderIfsc = pick(BANK_IFSC);
      add({ date: dayIn(months[0]!, 20), narration: `NEFT CR-${lenderIfsc}-${loan.lender}-LOAN DISB-${utr(lenderIfsc)}`, chqNum: null, type: 'credit', amountPaise: loan.disbursalPaise, tag: { kind: 'disbursal', loan: l } });
      firstEmiMonth = 1;
    }
    const umrn = `${loan.lender.slice(0, 4).replace(/\s/g, 'X')}${digits(16)}`;
    months.slice(firstEmiMonth).forEach((month) => {
      const narration = { ach: `ACH D- ${loan.lender}-${loan.loanRef}`, nach: `NACH DR-${umrn}-${loan.lender}-${loan.loanRef}`, ecs: `ECS DR-${loan.lender}-${loan.loanRef}` }[loan.mandate];
      const draft: Draft = { date: dayIn(month, loan.dayOfMonth), narration, chqNum: null, type: 'debit', amountPaise: loan.amountPaise, tag: { kind: 'emi', loan: l } };
      if (add(draft)) (emiDrafts[l] ??= []).push(draft);
    });
  });

  // The returned EMI is also an EMI: it keeps its tag, and this map says which return it belongs to.
  const bounceRoles = new Map<Draft, number>();
  // Returns: the item, its reversal (same day) and the bank's charge 1–3 days later, in that order.
  // `item` is a row already planted (an EMI, with its tag) or one made for the return (no tag yet).
  const returned = (bounce: BounceDraft, item: Draft | Omit<Draft, 'tag'> | undefined, reversal: Omit<Draft, 'tag' | 'date'>, charge: Omit<Draft, 'tag' | 'date' | 'type'>) => {
    const chargeDate = item && addDays(item.date, int(1, 3));
    if (!item || !chargeDate || !inRange(item.date) || !inRange(chargeDate)) return;
    const b = bounces.push(bounce) - 1;
    if ('tag' in item) bounceRoles.set(item, b);
    else add({ ...item, tag: { kind: 'bounce', bounce: b, role: 'bounced' } });
    add({ ...reversal, date: item.date, tag: { kind: 'bounce', bounce: b, role: 'return' } });
    add({ ...charge, type: 'debit', date: chargeDate, tag: { kind: 'bounce', bounce: b, role: 'charge' } });
  };
  if (options.bounces) {
    const b = options.bounces;
    const loan = options.loans[b.autoDebitLoanIndex];
    if (loan && b.autoDebitMonthIndex !== null) {
      const emi = (emiDrafts[b.autoDebitLoanIndex] ?? []).find((d) => d.date.startsWith(months[b.autoDebitMonthIndex!] ?? 'none'));
      const word = loan.mandate === 'ach' ? 'ACH D- RETURN' : `${loan.mandate.toUpperCase()} RTN`;
      returned(
        { kind: 'auto_debit_return', lender: loan.lender, chequeNumber: null },
        emi,
        { narration: `${word}-${loan.lender}-${loan.loanRef}-INSUFFICIENT FUNDS`, chqNum: null, type: 'credit', amountPaise: loan.amountPaise },
        { narration: `${loan.mandate.toUpperCase()} RTN CHRG INCL GST-${loan.loanRef}`, chqNum: null, amountPaise: AUTO_DEBIT_RETURN_CHARGE },
      );
    }
    if (b.issuedChequeMonthIndex !== null && months[b.issuedChequeMonthIndex]) {
      const chq = digits(6).replace(/^0/, '1');
      const payee = pick(CHEQUE_PAYEES);
      const amountPaise = int(150, 450) * 100_00 + int(1, 99) * 100;
      returned(
        { kind: 'issued_cheque_return', lender: null, chequeNumber: chq },
        { date: dayIn(months[b.issuedChequeMonthIndex]!, int(12, 18)), narration: `CHQ PAID-MICR INWARD CLEARING-${payee}`, chqNum: chq, type: 'debit', amountPaise },
        { narration: `CHQ RET-INWARD-${chq}-INSUFF FUNDS-${payee}`, chqNum: chq, type: 'credit', amountPaise },
        { narration: `CHQ RET CHRG INCL GST-${chq}`, chqNum: null, amountPaise: CHEQUE_RETURN_CHARGE },
      );
    }
    if (b.depositedChequeMonthIndex !== null && months[b.depositedChequeMonthIndex]) {
      const chq = digits(6).replace(/^0/, '1');
      const drawer = pick(CHEQUE_DRAWERS);
      const amountPaise = int(80, 300) * 100_00 + int(1, 99) * 100;
      returned(
        { kind: 'deposited_cheque_return', lender: null, chequeNumber: chq },
        { date: dayIn(months[b.depositedChequeMonthIndex]!, int(16, 22)), narration: `CHQ DEP-MICR CLG-${drawer}`, chqNum: chq, type: 'credit', amountPaise },
        { narration: `O/W CHQ RET-${chq}-FUNDS INSUFFICIENT-${drawer}`, chqNum: chq, type: 'debit', amountPaise },
        { narration: `O/W CHQ RET CHRG INCL GST-${chq}`, chqNum: null, amountPaise: CHEQUE_RETURN_CHARGE },
      );
    }
  }

  // Own-account transfers every other month, in alternating directions, never the same amount twice.
  const usedAmounts = new Set<number>();
  const freshAmount = (make: () => number) => {
    for (;;) {
      const amount = make();
      if (!usedAmounts.has(amount)) return usedAmounts.add(amount), amount;
    }
  };
  if (options.selfTransfers) {
    const otherIfsc = pick(BANK_IFSC.filter((i) => !i.startsWith(OWN_IFSC_PREFIX[options.narrationBank])));
    months.forEach((month, i) => {
      if (i % 2 === 1) return;
      const amountPaise = freshAmount(() => int(10, 60) * 1_000_00);
      const date = dayIn(month, int(12, 26));
      const narration =
        i % 4 === 0
          ? selfNeftOut(options.narrationBank, holder, otherIfsc, utr(otherIfsc))
          : `IMPS-${digits(12)}-${holder}-${otherIfsc.slice(0, 4)}-XXXXXXX${digits(4)}-OWN ACCOUNT`;
      add({ date, narration, chqNum: null, type: i % 4 === 0 ? 'debit' : 'credit', amountPaise, tag: { kind: 'self' } });
    });
  }
  if (options.sisterCompany) {
    const sister = options.sisterCompany;
    const sisterIfsc = pick(BANK_IFSC);
    months.forEach((month, i) => {
      if (i % 2 === 0) return;
      const amountPaise = freshAmount(() => int(20, 90) * 1_000_00 + int(0, 9) * 100_00);
      const date = dayIn(month, int(14, 25));
      const credit = i % 4 === 3;
      const narration = credit ? `RTGS CR-${sisterIfsc}-${sister}-${utr(sisterIfsc)}` : selfNeftOut(options.narrationBank, sister, sisterIfsc, utr(sisterIfsc));
      add({ date, narration, chqNum: null, type: credit ? 'credit' : 'debit', amountPaise, tag: { kind: 'sister' } });
    });
  }

  if (options.rent) {
    const r = options.rent;
    months.forEach((month) => {
      const date = addDays(dayIn(month, r.dayOfMonth), int(-1, 1));
      const note = `RENT ${monthWord(month)}`;
      const narration =
        r.channel === 'upi'
          ? `UPI/DR/${digits(12)}/${r.landlord}/HDFC/${r.landlordVpa}/${note}`
          : `IMPS-${digits(12)}-${r.landlord}-HDFC-XXXXXXX${digits(4)}-${note}`;
      add({ date, narration, chqNum: null, type: 'debit', amountPaise: r.amountPaise, tag: { kind: 'rent' } });
    });
  }

  if (options.cashDeposits) {
    const heavy = new Set<number>();
    while (heavy.size < Math.min(options.cashDeposits.monthsAboveSalary, months.length)) heavy.add(int(0, months.length - 1));
    months.forEach((month, i) => {
      const deposit = (amountPaise: number) => {
        const narration = int(0, 1) === 0 ? `BY CASH-CDM ${digits(6)}-${pick(CDM_PLACES)}` : `CASH DEP-${pick(CDM_PLACES)} BRANCH`;
        add({ date: dayIn(month, int(8, 27)), narration, chqNum: null, type: 'credit', amountPaise, tag: { kind: 'cash' } });
      };
      if (heavy.has(i)) {
        // Three deposits of 40% of the month's salary each: 120% of it, whatever the raise.
        const salary = options.salary ? (options.salary.raisedAmountPaise !== null && i >= options.salary.raiseMonthIndex ? options.salary.raisedAmountPaise : options.salary.amountPaise) : 50_000_00;
        for (let k = 0; k < 3; k++) deposit(Math.ceil((salary * 0.4) / 100_00) * 100_00 + k * 500_00);
      } else if (i % 2 === 0) {
        deposit(int(30, 150) * 100_00);
      }
    });
  }

  if (options.atmWithdrawals) {
    months.forEach((month) => {
      for (let k = 0; k < 2; k++) {
        add({ date: dayIn(month, int(2, 27)), narration: `ATM WDL/CASH WITHDRAWAL/${digits(6)}/${pick(ATM_PLACES)}`, chqNum: null, type: 'debit', amountPaise: int(4, 20) * 500_00, tag: { kind: 'atm' } });
      }
    });
  }

  // Background: spends and friends, each (counterparty, amount) at most once, with paise, so nothing repeats.
  const seen = new Set<string>();
  const fresh = (counterparty: string, make: () => number) => {
    for (;;) {
      const amount = make();
      if (!seen.has(`${counterparty}|${amount}`)) return seen.add(`${counterparty}|${amount}`), amount;
    }
  };
  for (const month of months) {
    for (let k = 0; k < options.noisePerMonth; k++) {
      const date = dayIn(month, int(1, 28));
      const kind = int(0, 19);
      if (kind < 10) {
        const merchant = pick(MERCHANTS);
        const vpa = `${merchant.split(' ')[0]!.toLowerCase()}@${pick(['ybl', 'axl', 'paytm'])}`;
        const amountPaise = fresh(merchant, () => int(60, 3_500) * 100 + int(1, 99));
        add({ date, narration: `UPI/DR/${digits(12)}/${merchant}/${pick(['YESB', 'UTIB', 'ICIC'])}/${vpa}/Payment from Phone`, chqNum: null, type: 'debit', amountPaise, tag: { kind: 'noise' } });
      } else if (kind < 14) {
        const merchant = pick(MERCHANTS);
        const amountPaise = fresh(merchant, () => int(200, 6_000) * 100 + int(1, 99));
        add({ date, narration: `POS 4591XXXXXXXX${digits(4)} ${merchant} ${pick(CITIES)}`, chqNum: null, type: 'debit', amountPaise, tag: { kind: 'noise' } });
      } else {
        const friend = pick(FRIENDS);
        const debit = kind < 18;
        const amountPaise = fresh(friend, () => int(150, 4_500) * 100 + int(1, 99));
        const narration = `IMPS-${digits(12)}-${friend}-${pick(BANK_IFSC).slice(0, 4)}-XXXXXXX${digits(4)}-${pick(FRIEND_NOTES)}`;
        add({ date, narration, chqNum: null, type: debit ? 'debit' : 'credit', amountPaise, tag: { kind: 'noise' } });
      }
    }
  }

  // Oldest first; on one day, in the order made (so a returned item comes before its reversal).
  const ordered = drafts.map((d, order) => ({ d, order })).sort((a, b) => (a.d.date < b.d.date ? -1 : a.d.date > b.d.date ? 1 : a.order - b.order));
  const floor = options.allowOverdraft ? -Infinity : 0;
  let balance = options.openingBalancePaise;
  const kept: Draft[] = [];
  const transactions: SampleTransaction[] = [];
  for (const { d } of ordered) {
    const next = balance + (d.type === 'credit' ? d.amountPaise : -d.amountPaise);
    if (next < floor) {
      // Background spends give way; a planted debit that cannot be paid means the options are wrong.
      if (d.tag.kind === 'noise') continue;
      throw new Error(`plantedActivity: ${d.narration} on ${d.date} would overdraw the account; raise openingBalancePaise`);
    }
    balance = next;
    kept.push(d);
    transactions.push({ date: d.date, narration: d.narration, chqNum: d.chqNum, type: d.type, amountPaise: d.amountPaise, balancePaise: balance });
  }

  return { transactions, truth: truthOf(options, kept, bounces, bounceRoles, raiseMonth) };
}

function truthOf(options: PlantedOptions, kept: Draft[], bounceDrafts: BounceDraft[], bounceRoles: Map<Draft, number>, raiseMonth: string | null): PlantedTruth {
  const indexesOf = (test: (tag: Tag) => boolean) => kept.flatMap((d, i) => (test(d.tag) ? [i] : []));
  const salaryIndexes = indexesOf((t) => t.kind === 'salary');
  const salaryTags = salaryIndexes.map((i) => kept[i]!.tag as Extract<Tag, { kind: 'salary' }>);
  const salaryMonths = salaryTags.map((t) => t.month);
  const s = options.salary;

  const bounces = bounceDrafts.map((b, n) => {
    const role = (r: 'bounced' | 'return' | 'charge') => kept.findIndex((d) => (d.tag.kind === 'bounce' && d.tag.bounce === n && d.tag.role === r) || (r === 'bounced' && bounceRoles.get(d) === n));
    return { kind: b.kind, bouncedIndex: role('bounced'), returnIndex: role('return'), chargeIndex: role('charge'), lender: b.lender, chequeNumber: b.chequeNumber };
  });

  const cashIndexes = indexesOf((t) => t.kind === 'cash');
  const cashByMonth = new Map<string, number>();
  for (const i of cashIndexes) cashByMonth.set(kept[i]!.date.slice(0, 7), (cashByMonth.get(kept[i]!.date.slice(0, 7)) ?? 0) + kept[i]!.amountPaise);
  const salaryByMonth = new Map<string, number>();
  for (const i of salaryIndexes) salaryByMonth.set(kept[i]!.date.slice(0, 7), (salaryByMonth.get(kept[i]!.date.slice(0, 7)) ?? 0) + kept[i]!.amountPaise);
  const amounts = salaryIndexes.map((i) => kept[i]!.amountPaise);

  return {
    holderName: options.holderName,
    salary: s
      ? { employer: s.employer, indexes: salaryIndexes, months: salaryMonths, lateMonth: salaryTags.find((t) => t.late)?.month ?? null, lateByDays: s.lateByDays, amountsPaise: amounts, raiseMonth, multiplesOf1000: amounts.length > 0 && amounts.every((a) => a % 1_000_00 === 0) }
      : null,
    emis: options.loans.map((loan, l) => ({ lender: loan.lender, loanRef: loan.loanRef, mandate: loan.mandate, indexes: indexesOf((t) => t.kind === 'emi' && t.loan === l), amountPaise: loan.amountPaise, dayOfMonth: loan.dayOfMonth })),
    disbursals: kept.flatMap((d, index) => (d.tag.kind === 'disbursal' ? [{ lender: options.loans[d.tag.loan]!.lender, index, amountPaise: d.amountPaise }] : [])),
    bounces,
    selfTransfers: indexesOf((t) => t.kind === 'self'),
    sisterCompany: options.sisterCompany || null,
    sisterTransfers: indexesOf((t) => t.kind === 'sister'),
    rent: options.rent ? { landlord: options.rent.landlord, indexes: indexesOf((t) => t.kind === 'rent'), amountPaise: options.rent.amountPaise } : null,
    cashDeposits: cashIndexes,
    cashAboveSalaryMonths: [...cashByMonth].filter(([month, cash]) => cash > (salaryByMonth.get(month) ?? 0)).map(([month]) => month).sort(),
    atmWithdrawals: indexesOf((t) => t.kind === 'atm'),
    background: indexesOf((t) => t.kind === 'noise'),
  };
}

/** A salary credit by NEFT as `bank` words it. */
function salaryNeft(bank: NarrationBank, employer: string, ifsc: string, utr: string, note: string): string {
  switch (bank) {
    case 'hdfc':
      return `NEFT CR-${ifsc}-${employer}-${note}-${utr}`;
    case 'sbi':
      return `BY TRANSFER-NEFT/${utr}/${employer}/${note}`;
    case 'icici':
      return `NEFT-${utr}-${employer}-${note}-${ifsc}`;
    case 'axis':
      return `NEFT/${utr}/${employer}/${ifsc}/${note}`;
  }
}

/** A NEFT debit to `payee` (the holder's own account, or a sister company) as `bank` words it. */
function selfNeftOut(bank: NarrationBank, payee: string, ifsc: string, utr: string): string {
  switch (bank) {
    case 'hdfc':
      return `NEFT DR-${ifsc}-${payee}-NETBANK, MUM-${utr}`;
    case 'sbi':
      return `TO TRANSFER-NEFT/${utr}/${payee}/${ifsc}`;
    case 'icici':
      return `NEFT-${utr}-${payee}-${ifsc}-INB`;
    case 'axis':
      return `NEFT/${utr}/${payee}/${ifsc}/INB`;
  }
}


/**
 * A statement of `bankLayoutId`'s layout (statement-layouts.ts) holding `plantedActivity`'s
 * rows, ready for renderStatementPdf; salary and own-account transfers are worded as that bank
 * words them where the generator knows how (else HDFC's wording).
 */
export function plantedStatement(seed: number, bankLayoutId: string, options: Partial<PlantedOptions> = {}): { statement: SampleStatement; truth: PlantedTruth } {
  const narrationBank = (NARRATION_BANKS.includes(bankLayoutId) ? bankLayoutId : 'hdfc') as NarrationBank;
  const full: PlantedOptions = { ...DEFAULT_PLANTED, narrationBank, ...options, seed };
  const { transactions, truth } = plantedActivity(full);
  const ifscPrefix = loadBankCatalogue().find(bankLayoutId)?.npci_code ?? 'SAHY';
  const account = { ...sampleAccount(seed, ifscPrefix), holderName: full.holderName };
  return { statement: { layout: bankLayoutId, account, from: full.from, to: full.to, openingBalancePaise: full.openingBalancePaise, transactions }, truth };
}
