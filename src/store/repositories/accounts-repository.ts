/** Reading a session's accounts and their stored statements (summarised by domain/account.ts). */
import { summarizeAccounts, type AccountSummary, type StatementSummary } from '../../domain/account.ts';
import type { Session } from '../../domain/session.ts';
import type { StatementIdentity } from '../../domain/statement.ts';
import type { CalendarDate } from '../../lib/calendar-date.ts';
import type { Queryable } from '../../ports/db.ts';

type AccountRow = {
  account_id: string; bank_name: string; account_number: string | null; identity: StatementIdentity;
  created_at: Date; updated_at: Date; processing_status: 'completed' | 'failed' | null; error_code: string | null; error_message: string | null;
};

type StatementRow = {
  statement_id: string; account_id: string; upload_file_name: string | null; from_date: CalendarDate | null; to_date: CalendarDate | null;
  source: 'pdf' | 'aa'; page_count: number | null; reconciled: boolean | null; first_break: StatementSummary['firstBreak']; opening_balance_paise: bigint | null;
  fraud_findings: StatementSummary['fraudFindings']; blob_key: string; created_at: Date; stored_at: Date | null;
};

export function accountsRepository(db: Queryable) {
  return {
    async summaries(session: Session): Promise<AccountSummary[]> {
      const accounts = await db.query<AccountRow>(
        // Only accounts with a stored statement: one created for a statement still being stored
        // (or being discarded) is not shown, like that statement.
        `select * from accounts a
         where a.session_id = $1 and exists (select 1 from statements s where s.account_id = a.account_id and s.state = 'stored')
         order by a.created_at, a.account_id`,
        [session.sessionId],
      );
      const statements = await db.query<StatementRow>(
        "select * from statements where session_id = $1 and state = 'stored' order by created_at, statement_id",
        [session.sessionId],
      );
      return summarizeAccounts(
        session,
        accounts.map((a) => ({
          accountId: a.account_id,
          bankName: a.bank_name,
          accountNumber: a.account_number,
          identity: a.identity,
          createdAt: a.created_at,
          updatedAt: a.updated_at,
          processingStatus: a.processing_status,
          errorCode: a.error_code,
          errorMessage: a.error_message,
        })),
        statements.map((s) => ({
          accountId: s.account_id,
          statementId: s.statement_id,
          uploadFileName: s.upload_file_name,
          fromDate: s.from_date,
          toDate: s.to_date,
          source: s.source,
          pageCount: s.page_count,
          reconciled: s.reconciled,
          firstBreak: s.first_break,
          openingBalancePaise: s.opening_balance_paise === null ? null : Number(s.opening_balance_paise),
          fraudFindings: s.fraud_findings,
          blobKey: s.blob_key,
          createdAt: s.created_at,
          storedAt: s.stored_at ?? s.created_at,
        })),
      );
    },

    /** Of these sessions, the ones with at least one account. */
    async sessionsWithAccounts(sessionIds: string[]): Promise<Set<string>> {
      if (sessionIds.length === 0) return new Set();
      const rows = await db.query<{ session_id: string }>('select distinct session_id from accounts where session_id = any($1::uuid[])', [sessionIds]);
      return new Set(rows.map((r) => r.session_id));
    },

    /** Removes the session's accounts; statements (stored or not) and transactions cascade. */
    async deleteForSession(sessionId: string): Promise<void> {
      await db.query('delete from accounts where session_id = $1', [sessionId]);
    },

    async setProcessingOutcome(accountId: string, status: 'completed' | 'failed', code: string | null, message: string | null): Promise<void> {
      await db.query('update accounts set processing_status = $2, error_code = $3, error_message = $4, updated_at = now() where account_id = $1', [accountId, status, code, message]);
    },
  };
}
