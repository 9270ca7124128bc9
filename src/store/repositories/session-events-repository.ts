/** Session events no other table records (migration 0013): the journey's first opening, refused uploads. */
import type { Queryable } from '../../ports/db.ts';

export type SessionEventKind = 'journey_opened' | 'upload_refused';

export interface SessionEvent {
  kind: SessionEventKind;
  at: Date;
  details: Record<string, unknown>;
}

interface EventRow extends Record<string, unknown> {
  kind: string;
  at: Date;
  details: Record<string, unknown>;
}

export function sessionEventsRepository(db: Queryable) {
  return {
    async record(sessionId: string, kind: SessionEventKind, at: Date, details: Record<string, unknown> = {}): Promise<void> {
      // `journey_opened` is unique per session: later openings change nothing.
      await db.query('insert into session_events (session_id, kind, at, details) values ($1, $2, $3, $4) on conflict do nothing', [sessionId, kind, at, JSON.stringify(details)]);
    },

    async forSession(sessionId: string): Promise<SessionEvent[]> {
      const rows = await db.query<EventRow>('select kind, at, details from session_events where session_id = $1 order by seq', [sessionId]);
      return rows.map((r) => ({ kind: r.kind as SessionEventKind, at: r.at, details: r.details }));
    },
  };
}
