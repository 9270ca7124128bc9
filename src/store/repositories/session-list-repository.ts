/**
 * The console's list of a client's sessions: filtered, sorted and paged in the database, with
 * a count per status for the same filters. The status here is what a person asks ("has the
 * borrower uploaded anything? is it processed?"), derived from the session's columns, the
 * stored status with expiry applied included.
 */
import { CONSOLE_STATUSES, type ConsoleSessionStatus, type SessionListRow, type SessionSort } from '../../domain/console-session.ts';
import type { Queryable } from '../../ports/db.ts';

export interface SessionListFilter {
  clientId: string;
  /** A link_id prefix, or a whole session id. */
  query: string | null;
  status: ConsoleSessionStatus | null;
  mode: string | null;
  /** The session's bank or any of its accounts'. */
  bank: string | null;
  /** Created at or after this instant. */
  createdFrom: Date | null;
  /** Created before this instant. */
  createdBefore: Date | null;
  now: Date;
}

/** $1 is `now`. Statements count once stored (a half-stored upload is nobody's yet). */
const STATUS = `case
    when s.deleted_at is not null then 'deleted'
    when s.processing_completed_at is not null then 'completed'
    when s.processing_requested_at is not null then 'processing'
    when s.status = 'expired' or s.expires_at <= $1 then 'expired'
    when exists (select 1 from statements st where st.session_id = s.session_id and st.state = 'stored') then 'in_progress'
    else 'created'
  end`;

const ORDER: Record<SessionSort, string> = {
  created_at: 's.created_at asc, s.session_id asc',
  '-created_at': 's.created_at desc, s.session_id desc',
  link_id: 's.link_id asc, s.created_at desc',
  '-link_id': 's.link_id desc, s.created_at desc',
  expires_at: 's.expires_at asc, s.session_id asc',
  '-expires_at': 's.expires_at desc, s.session_id desc',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The where clause (without the status filter) and its parameters, `now` first. */
function conditions(filter: SessionListFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [filter.now, filter.clientId];
  const clauses = ['s.client_id = $2'];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.query !== null) {
    const q = filter.query;
    if (UUID.test(q)) {
      params.push(q);
      add((n) => `(s.session_id = ${n}::uuid or starts_with(s.link_id, $${params.length - 1}))`, q.toLowerCase());
    } else add((n) => `starts_with(s.link_id, ${n})`, q);
  }
  if (filter.mode !== null) add((n) => `s.mode = ${n}`, filter.mode);
  if (filter.bank !== null) add((n) => `(s.bank_name = ${n} or exists (select 1 from accounts a where a.session_id = s.session_id and a.bank_name = ${n}))`, filter.bank);
  if (filter.createdFrom !== null) add((n) => `s.created_at >= ${n}`, filter.createdFrom);
  if (filter.createdBefore !== null) add((n) => `s.created_at < ${n}`, filter.createdBefore);
  return { where: clauses.join(' and '), params };
}

export function sessionListRepository(db: Queryable) {
  return {
    async counts(filter: SessionListFilter): Promise<Record<ConsoleSessionStatus, number>> {
      const { where, params } = conditions(filter);
      const rows = await db.query<{ status: ConsoleSessionStatus; n: number }>(
        `select status, count(*)::int as n from (select ${STATUS} as status from sessions s where ${where}) listed group by status`,
        params,
      );
      const counts = Object.fromEntries(CONSOLE_STATUSES.map((s) => [s, 0])) as Record<ConsoleSessionStatus, number>;
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },

    async statusOf(sessionId: string, now: Date): Promise<ConsoleSessionStatus | null> {
      const rows = await db.query<{ status: ConsoleSessionStatus }>(`select ${STATUS} as status from sessions s where s.session_id = $2`, [now, sessionId]);
      return rows[0]?.status ?? null;
    },

    async page(filter: SessionListFilter, sort: SessionSort, offset: number, limit: number): Promise<SessionListRow[]> {
      const { where, params } = conditions(filter);
      const statusFilter = filter.status === null ? '' : ` and ${STATUS} = $${params.push(filter.status)}`;
      const rows = await db.query<{
        session_id: string; link_id: string; status: ConsoleSessionStatus; mode: string | null; journey_mode: string | null; bank_name: string | null;
        banks: string[]; statement_count: number; from_date: string; to_date: string; created_at: Date; expires_at: Date;
      }>(
        `select s.session_id, s.link_id, ${STATUS} as status, s.mode, s.journey_mode, s.bank_name,
                array(select distinct a.bank_name from accounts a join statements st on st.account_id = a.account_id and st.state = 'stored'
                       where a.session_id = s.session_id order by 1) as banks,
                (select count(*)::int from statements st where st.session_id = s.session_id and st.state = 'stored') as statement_count,
                s.from_date, s.to_date, s.created_at, s.expires_at
           from sessions s
          where ${where}${statusFilter}
          order by ${ORDER[sort]}
          limit $${params.push(limit)} offset $${params.push(offset)}`,
        params,
      );
      return rows.map((r) => ({
        sessionId: r.session_id,
        linkId: r.link_id,
        status: r.status,
        mode: r.mode,
        journeyMode: r.journey_mode,
        bankName: r.bank_name,
        banks: r.banks,
        statementCount: r.statement_count,
        fromDate: r.from_date,
        toDate: r.to_date,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
      }));
    },
  };
}
