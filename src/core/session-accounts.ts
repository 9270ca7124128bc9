/**
 * A session as the data APIs see it: refused when missing (404) or deleted (410), with its
 * accounts, their statements, and what each account still misses of the required period.
 */
import { AppError } from '../errors/codes.ts';
import type { Client } from '../domain/client.ts';
import { statusAt, type Session } from '../domain/session.ts';
import { addDays, monthsBetween, type CalendarDate } from '../lib/calendar-date.ts';
import type { StatementIdentity } from '../statements/statement-types.ts';
import type { Queryable } from '../store/db.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import type { Deps } from './deps.ts';

export interface StatementSummary {
  statementId: string;
  uploadFileName: string | null;
  fromDate: CalendarDate | null;
  toDate: CalendarDate | null;
  pageCount: number;
  reconciled: boolean;
  firstBreak: { index: number; page: number; date: CalendarDate } | null;
  blobKey: string;
  createdAt: Date;
}

export interface AccountSummary {
  accountId: string;
  bankName: string;
  accountNumber: string | null;
  identity: StatementIdentity;
  createdAt: Date;
  updatedAt: Date;
  statements: StatementSummary[];
  /** Required months this account's statements cover, and the gaps left in the period. */
  months: string[];
  missing: { from: CalendarDate; to: CalendarDate }[];
  /** Every required month covered (or the session accepts anything). */
  complete: boolean;
  processingStatus: 'completed' | 'failed' | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** Loads a client's session for a data API: 404 if unknown, 410 once deleted. */
export async function sessionForData(deps: Pick<Deps, 'db' | 'now'>, client: Client, sessionId: string): Promise<Session> {
  const session = await sessionsRepository(deps.db).findForClient(client.clientId, sessionId);
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  if (session.deletedAt) throw new AppError('SESSION_DELETED');
  return { ...session, status: statusAt(session, deps.now()) };
}

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

export async function loadAccounts(db: Queryable, session: Session): Promise<AccountSummary[]> {
  const accounts = await db.query<{
    account_id: string; bank_name: string; account_number: string | null; identity: StatementIdentity;
    created_at: Date; updated_at: Date; processing_status: 'completed' | 'failed' | null; error_code: string | null; error_message: string | null;
  }>(
    // Only accounts with a stored statement: one created for a statement still being stored
    // (or being discarded) is not shown, like that statement.
    `select * from accounts a
     where a.session_id = $1 and exists (select 1 from statements s where s.account_id = a.account_id and s.state = 'stored')
     order by a.created_at, a.account_id`,
    [session.sessionId],
  );
  const statements = await db.query<{
    statement_id: string; account_id: string; upload_file_name: string | null; from_date: string | null; to_date: string | null;
    page_count: number; reconciled: boolean; first_break: StatementSummary['firstBreak']; blob_key: string; created_at: Date;
  }>("select * from statements where session_id = $1 and state = 'stored' order by created_at, statement_id", [session.sessionId]);
  return accounts.map((a) => {
    const own = statements.filter((s) => s.account_id === a.account_id);
    const ranges = own.filter((s) => s.from_date && s.to_date).map((s) => ({ from: s.from_date as CalendarDate, to: s.to_date as CalendarDate }));
    const covered = new Set(ranges.flatMap((r) => monthsBetween(r.from, r.to)));
    const missingMonths = session.months.filter((m) => !covered.has(m));
    return {
      accountId: a.account_id,
      bankName: a.bank_name,
      accountNumber: a.account_number,
      identity: a.identity,
      createdAt: a.created_at,
      updatedAt: a.updated_at,
      statements: own.map((s) => ({
        statementId: s.statement_id,
        uploadFileName: s.upload_file_name,
        fromDate: s.from_date as CalendarDate | null,
        toDate: s.to_date as CalendarDate | null,
        pageCount: s.page_count,
        reconciled: s.reconciled,
        firstBreak: s.first_break,
        blobKey: s.blob_key,
        createdAt: s.created_at,
      })),
      months: session.months.filter((m) => covered.has(m)),
      missing: gaps(session.fromDate, session.toDate, ranges),
      complete: session.acceptAnything ? own.length > 0 : missingMonths.length === 0,
      processingStatus: a.processing_status,
      errorCode: a.error_code,
      errorMessage: a.error_message,
    };
  });
}
