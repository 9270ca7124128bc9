/** One account of a session as the data APIs, the journey and the webhooks describe it: its statements and what it still misses of the required period. */
import type { Session } from './session.ts';
import type { StatementIdentity } from './statement.ts';
import type { FraudFinding } from './insights.ts';
import { addDays, monthsBetween, type CalendarDate } from '../lib/calendar-date.ts';

export interface StatementSummary {
  statementId: string;
  uploadFileName: string | null;
  fromDate: CalendarDate | null;
  toDate: CalendarDate | null;
  /** `pdf`: an uploaded file; `aa`: data fetched through an Account Aggregator. */
  source: 'pdf' | 'aa';
  /** Null for Account Aggregator data, which has no pages. */
  pageCount: number | null;
  /** Null when the statement prints no balances. */
  reconciled: boolean | null;
  firstBreak: { index: number; page: number; date: CalendarDate } | null;
  /** The balance before the statement's first row, as printed or worked out; null when it prints no balances. */
  openingBalancePaise: number | null;
  /** What was found wrong with the file and its rows at upload. */
  fraudFindings: FraudFinding[];
  blobKey: string;
  createdAt: Date;
  /** When it became visible, by the service's clock (createdAt is the store's, for older statements too). */
  storedAt: Date;
}

export interface AccountSummary {
  accountId: string;
  bankName: string;
  accountNumber: string | null;
  identity: StatementIdentity;
  createdAt: Date;
  updatedAt: Date;
  statements: StatementSummary[];
  /** Months this account's statements cover (`coveredMonths`), and the gaps left in the session's period. */
  months: string[];
  missing: { from: CalendarDate; to: CalendarDate }[];
  /** Every required month covered (or the session accepts anything). */
  complete: boolean;
  processingStatus: 'completed' | 'failed' | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** An account as stored, before its coverage is worked out. */
export type StoredAccount = Omit<AccountSummary, 'statements' | 'months' | 'missing' | 'complete'>;

/** The parts of [from, to] that no range covers. */
export function gaps(from: CalendarDate, to: CalendarDate, ranges: { from: CalendarDate; to: CalendarDate }[]): { from: CalendarDate; to: CalendarDate }[] {
  const out: { from: CalendarDate; to: CalendarDate }[] = [];
  let cursor = from;
  for (const r of [...ranges].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    if (r.to < cursor) continue;
    if (r.from > to) break;
    if (r.from > cursor) out.push({ from: cursor, to: addDays(r.from, -1) });
    if (r.to >= to) return out;
    cursor = addDays(r.to, 1);
  }
  if (cursor <= to) out.push({ from: cursor, to });
  return out;
}

/**
 * The `months` of a statement or of an account, the one rule behind every response that has
 * them (the upload's answer, session_upload_status, insights and identity, the webhooks, the
 * journey): each calendar month (`YYYY-MM`) in which at least one day of a statement's period
 * falls. A partial month counts (a statement ending on the 4th covers its month), and so does a
 * month the session does not require (the to_date month in its first week, or one outside the
 * session's dates); `missing_months` and `missing_data` are what measure the session's needs.
 * Sorted, each month once. BankConnect's own example: 2023-12-01 to 2024-03-05 covers 2023-12 to
 * 2024-03.
 */
export function coveredMonths(ranges: readonly { from: CalendarDate; to: CalendarDate }[]): string[] {
  return [...new Set(ranges.flatMap((r) => monthsBetween(r.from, r.to)))].sort();
}

/** Each account with its stored statements, the months they cover (`coveredMonths`), and the gaps. */
export function summarizeAccounts(session: Session, accounts: StoredAccount[], statements: (StatementSummary & { accountId: string })[]): AccountSummary[] {
  return accounts.map((account) => {
    const own = statements.filter((s) => s.accountId === account.accountId).map(({ accountId: _, ...s }) => s);
    const ranges = own.flatMap((s) => (s.fromDate && s.toDate ? [{ from: s.fromDate, to: s.toDate }] : []));
    const covered = coveredMonths(ranges);
    const missingMonths = session.months.filter((m) => !covered.includes(m));
    return {
      ...account,
      statements: own,
      months: covered,
      missing: gaps(session.fromDate, session.toDate, ranges),
      complete: session.acceptAnything ? own.length > 0 : missingMonths.length === 0,
    };
  });
}

/**
 * COMPLETED once processing was asked for or an account meets the acceptance criteria (every
 * required month covered); EXPIRED past expiry; NO_UPLOAD before the first statement.
 */
export function uploadStatus(session: Session, accounts: AccountSummary[], aaInFlight = false): 'COMPLETED' | 'EXPIRED' | 'NO_UPLOAD' | 'IN_PROGRESS' {
  if (session.processingRequestedAt || accounts.some((a) => a.complete)) return 'COMPLETED';
  if (session.status === 'expired') return 'EXPIRED';
  // An Account Aggregator consent or fetch under way counts as an upload in progress.
  if (accounts.length === 0 && !aaInFlight) return 'NO_UPLOAD';
  return 'IN_PROGRESS';
}
