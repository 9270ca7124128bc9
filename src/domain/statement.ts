import type { CalendarDate } from '../lib/calendar-date.ts';

/** [x0, top, x1, bottom] in PDF points from the page's top-left corner. */
export type BoundingBox = [number, number, number, number];

export interface StatementTransaction {
  date: CalendarDate;
  narration: string;
  chqNum: string | null;
  type: 'debit' | 'credit';
  amountPaise: number;
  /** The balance printed on the row; null when the statement prints none there (no balance column, or once a day). */
  balancePaise: number | null;
  /**
   * Where the row is: 1-based page number and the box around all its lines; null for rows that
   * were printed on no page (data fetched through an Account Aggregator).
   */
  page: number | null;
  bbox: BoundingBox | null;
}

/** A row read off a statement's page: it always has its place. */
export interface PrintedTransaction extends StatementTransaction {
  page: number;
  bbox: BoundingBox;
}

/** A row of Account Aggregator data: no place on a page, but the FIP's own id and reference. */
export interface FetchedTransaction extends StatementTransaction {
  page: null;
  bbox: null;
  fipTransactionId: string | null;
  reference: string | null;
}

export interface StatementIdentity {
  name: string | null;
  accountNumber: string | null;
  ifsc: string | null;
  micr: string | null;
  address: string | null;
  accountCategory: 'individual' | 'corporate';
  accountType: 'SAVINGS' | 'CURRENT' | 'OVERDRAFT' | null;
  odLimitPaise: number | null;
  creditLimitPaise: number | null;
  /** What an Account Aggregator's Profile and Summary add (a PDF prints none of it reliably); absent for PDFs. */
  holder?: HolderDetails;
}

export interface HolderDetails {
  dob: CalendarDate | null;
  email: string | null;
  pan: string | null;
  mobile: string | null;
  /** SINGLE or JOINT, as the FIP writes it. */
  holderType: string | null;
  accountOpeningDate: CalendarDate | null;
}

export interface BalanceBreak {
  /** Index into `transactions`. */
  index: number;
  page: number;
  date: CalendarDate;
  expectedBalancePaise: number;
  printedBalancePaise: number;
}

export interface ParsedStatement {
  /** Catalogue id of the bank the statement names, or null when it names none we know. */
  detectedBank: string | null;
  pageCount: number;
  identity: StatementIdentity;
  period: { from: CalendarDate; to: CalendarDate } | null;
  openingBalancePaise: number | null;
  closingBalancePaise: number | null;
  transactions: PrintedTransaction[];
  /**
   * Every row checked: previous balance ± amount = printed balance. `reconciled` is null when
   * the statement prints no balances (nothing could be checked), never true by default.
   */
  reconciliation: { reconciled: boolean | null; firstBreak: BalanceBreak | null };
  /**
   * The debit and credit totals the statement prints under its table ("TRANSACTION TOTAL",
   * "GRAND TOTAL"), where it prints exactly one such line with both; null otherwise. The fraud
   * check compares them with the rows.
   */
  printedTotals: { debitPaise: number; creditPaise: number; page: number; bbox: BoundingBox } | null;
}

/** A transaction as stored: with its statement and its place (0-based) in that statement's rows. */
export type StoredTransaction = StatementTransaction & {
  statementId: string;
  seq: number;
  /** The FIP's own transaction id and reference (Account Aggregator data); null for rows read off a page. */
  fipTransactionId?: string | null;
  reference?: string | null;
};
