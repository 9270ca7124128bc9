import type { Mode } from '../../domain/client.ts';
import type { AaSettings, JourneyMode, Session, SessionApiVersion, SessionMetadata, SessionStatus } from '../../domain/session.ts';
import type { CalendarDate } from '../../lib/calendar-date.ts';
import { isUuid } from '../../lib/ids.ts';
import type { Queryable } from '../../ports/db.ts';

interface SessionRow extends Record<string, unknown> {
  session_id: string;
  client_id: string;
  link_id: string;
  api_version: number;
  status: string;
  from_date: string;
  to_date: string;
  months: string[];
  max_from_date: string | null;
  max_to_date: string | null;
  bank_name: string | null;
  mode: string | null;
  journey_mode: string | null;
  redirect_url: string | null;
  logo_url: string | null;
  mobile_number: string | null;
  is_mobile_field_editable: boolean;
  accept_anything: boolean;
  aa: AaSettings | null;
  metadata: SessionMetadata | null;
  created_at: Date;
  expires_at: Date;
  processing_requested_at: Date | null;
  processing_completed_at: Date | null;
  deleted_at: Date | null;
  user_completed_at: Date | null;
}

function toSession(row: SessionRow): Session {
  return {
    sessionId: row.session_id,
    clientId: row.client_id,
    linkId: row.link_id,
    apiVersion: row.api_version as SessionApiVersion,
    status: row.status as SessionStatus,
    fromDate: row.from_date as CalendarDate,
    toDate: row.to_date as CalendarDate,
    months: row.months,
    maxFromDate: row.max_from_date as CalendarDate | null,
    maxToDate: row.max_to_date as CalendarDate | null,
    bankName: row.bank_name,
    mode: row.mode as Mode | null,
    journeyMode: row.journey_mode as JourneyMode | null,
    redirectUrl: row.redirect_url,
    logoUrl: row.logo_url,
    mobileNumber: row.mobile_number,
    isMobileFieldEditable: row.is_mobile_field_editable,
    acceptAnything: row.accept_anything,
    aa: row.aa,
    metadata: row.metadata,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    processingRequestedAt: row.processing_requested_at,
    processingCompletedAt: row.processing_completed_at,
    deletedAt: row.deleted_at,
    userCompletedAt: row.user_completed_at,
  };
}

/** Columns written on insert, in order, with the casts their parameters need. */
const INSERT_COLUMNS = [
  'session_id', 'client_id', 'link_id', 'status', 'from_date', 'to_date', 'months', 'max_from_date', 'max_to_date',
  'bank_name', 'mode', 'journey_mode', 'redirect_url', 'logo_url', 'mobile_number', 'is_mobile_field_editable',
  'accept_anything', 'aa', 'metadata', 'created_at', 'expires_at', 'api_version',
] as const;
const JSONB_COLUMNS = new Set(['aa', 'metadata']);

function insertParams(s: Session): unknown[] {
  return [
    s.sessionId, s.clientId, s.linkId, s.status, s.fromDate, s.toDate, s.months, s.maxFromDate, s.maxToDate,
    s.bankName, s.mode, s.journeyMode, s.redirectUrl, s.logoUrl, s.mobileNumber, s.isMobileFieldEditable,
    s.acceptAnything, s.aa === null ? null : JSON.stringify(s.aa), s.metadata === null ? null : JSON.stringify(s.metadata),
    s.createdAt, s.expiresAt, s.apiVersion,
  ];
}

export function sessionsRepository(db: Queryable) {
  /** All rows in one multi-row INSERT. */
  async function insertMany(sessions: Session[]): Promise<void> {
    const tuples = sessions.map((_, row) => {
      const placeholders = INSERT_COLUMNS.map((column, i) => {
        const n = row * INSERT_COLUMNS.length + i + 1;
        return JSONB_COLUMNS.has(column) ? `$${n}::jsonb` : `$${n}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await db.query(
      `insert into sessions (${INSERT_COLUMNS.join(', ')}) values ${tuples.join(', ')}`,
      sessions.flatMap(insertParams),
    );
  }

  return {
    insert: (session: Session) => insertMany([session]),
    insertMany,

    /** Another client's session is reported exactly like a missing one. */
    async findForClient(clientId: string, sessionId: string): Promise<Session | null> {
      if (!isUuid(sessionId)) return null;
      const rows = await db.query<SessionRow>('select * from sessions where session_id = $1 and client_id = $2', [
        sessionId,
        clientId,
      ]);
      return rows[0] ? toSession(rows[0]) : null;
    },

    /**
     * Locks the session row for the rest of the transaction and reports whether it still takes
     * statements. Every transaction that changes a session's statements takes this lock before
     * any account or statement row (as initiate_processing, processing and deletion lock the
     * session first), so that they serialize without deadlocks. `share` for writers that may run
     * side by side (uploads), `no key update` to exclude them (an upload's last step, which may
     * announce the session's completion; discarding an account).
     */
    async lockForStatements(sessionId: string, mode: 'share' | 'no key update'): Promise<{ deleted: boolean; processingRequested: boolean } | null> {
      const rows = await db.query<{ deleted_at: Date | null; processing_requested_at: Date | null }>(
        `select deleted_at, processing_requested_at from sessions where session_id = $1 for ${mode === 'share' ? 'share' : 'no key update'}`,
        [sessionId],
      );
      const r = rows[0];
      return r ? { deleted: r.deleted_at !== null, processingRequested: r.processing_requested_at !== null } : null;
    },

    /**
     * Marks up to `limit` sessions past their expiry (and never sent to processing) as
     * expired, and returns them. SKIP LOCKED: a session another transaction holds is left for
     * the next sweep.
     */
    async expireDue(now: Date, limit: number): Promise<(Session & { completionNotified: boolean })[]> {
      const rows = await db.query<SessionRow & { completion_notified_at: Date | null }>(
        `update sessions set status = 'expired'
         where session_id in (
           select session_id from sessions
           where status = 'created' and expires_at <= $1 and processing_requested_at is null and deleted_at is null
           limit $2 for update skip locked)
         returning *`,
        [now, limit],
      );
      return rows.map((r) => ({ ...toSession(r), completionNotified: r.completion_notified_at !== null }));
    },

    /** Deletes the session's personal data; the row stays, so its id answers 410 from now on. */
    async markDeleted(sessionId: string, at: Date): Promise<void> {
      await db.query(
        `update sessions set deleted_at = $2, mobile_number = null, metadata = null, redirect_url = null, logo_url = null
         where session_id = $1`,
        [sessionId, at],
      );
    },

    /** Records that processing was asked for; false when it already was (the conditional update is the guard). */
    async claimProcessingRequest(sessionId: string, at: Date): Promise<boolean> {
      const rows = await db.query('update sessions set processing_requested_at = $2 where session_id = $1 and processing_requested_at is null returning 1', [sessionId, at]);
      return rows.length > 0;
    },

    /** Locks a session for processing: its client, and whether processing already finished (null when unknown). */
    async lockForProcessing(sessionId: string): Promise<{ clientId: string; processed: boolean } | null> {
      const rows = await db.query<{ client_id: string; processing_completed_at: Date | null }>(
        'select client_id, processing_completed_at from sessions where session_id = $1 for update',
        [sessionId],
      );
      const r = rows[0];
      return r ? { clientId: r.client_id, processed: r.processing_completed_at !== null } : null;
    },

    async markProcessed(sessionId: string, at: Date): Promise<void> {
      await db.query('update sessions set processing_completed_at = $2 where session_id = $1', [sessionId, at]);
    },

    /** The client a session belongs to (the journey knows only the session id). */
    async clientIdOf(sessionId: string): Promise<string | null> {
      if (!isUuid(sessionId)) return null;
      const rows = await db.query<{ client_id: string }>('select client_id from sessions where session_id = $1', [sessionId]);
      return rows[0]?.client_id ?? null;
    },

    /** The user submitted in the journey (the first time counts). */
    async markUserCompleted(sessionId: string, at: Date): Promise<void> {
      await db.query('update sessions set user_completed_at = coalesce(user_completed_at, $2) where session_id = $1', [sessionId, at]);
    },

    /** Claims the session's one completion notification; false when it was claimed before. */
    async claimCompletionNotification(sessionId: string, at: Date): Promise<boolean> {
      const rows = await db.query('update sessions set completion_notified_at = $2 where session_id = $1 and completion_notified_at is null returning 1', [sessionId, at]);
      return rows.length > 0;
    },
  };
}
