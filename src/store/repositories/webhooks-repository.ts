/**
 * The webhook outbox and delivery log, and each client's webhook settings. Times that decide
 * delivery (due, locks, retry window) are the database's clock, like the job queue's, so that
 * several processes on one PostgreSQL agree on them.
 */
import type { Queryable } from '../db.ts';

export type EventStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface NewWebhookEvent {
  eventId: string;
  clientId: string;
  sessionId: string;
  eventName: string;
  body: string;
  createdAt: Date;
}

export interface ClaimedEvent {
  eventId: string;
  clientId: string;
  sessionId: string;
  eventName: string;
  body: string;
  /** This attempt's number, from 1. */
  attempt: number;
}

export interface AttemptRecord {
  startedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/** What to do after an attempt: done, or try again after `retryInMs` (unless the window has closed). */
export type AttemptVerdict = { kind: 'delivered' } | { kind: 'retry'; retryInMs: number } | { kind: 'skipped'; reason: string };

export interface StoredEvent {
  eventId: string;
  sessionId: string;
  eventName: string;
  body: string;
  createdAt: Date;
  status: EventStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  finishedAt: Date | null;
  lastError: string | null;
  log: (AttemptRecord & { attempt: number })[];
}

export interface ClientWebhook {
  url: string | null;
  mode: number | null;
  /** Secrets that sign deliveries now, newest first (the previous one during its grace period). */
  secrets: string[];
}

interface EventRow extends Record<string, unknown> {
  event_id: string;
  session_id: string;
  event_name: string;
  body: string;
  created_at: Date;
  status: EventStatus;
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
  finished_at: Date | null;
  last_error: string | null;
}

interface AttemptRow extends Record<string, unknown> {
  event_id: string;
  attempt: number;
  started_at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

const secs = (ms: number) => ms / 1000;

export function webhooksRepository(db: Queryable) {
  return {
    /** Pass a transaction's executor: the event must commit with the change that causes it. */
    async insert(e: NewWebhookEvent): Promise<void> {
      await db.query(
        `insert into webhook_events (event_id, client_id, session_id, event_name, body, created_at, next_attempt_at)
         values ($1, $2, $3, $4, $5, $6, now())`,
        [e.eventId, e.clientId, e.sessionId, e.eventName, e.body, e.createdAt],
      );
    },

    /**
     * Locks up to `limit` due events for one attempt each. Only the oldest undelivered event of
     * a session can be due, which is what keeps a session's events in order: the next one
     * waits until this one is delivered or given up. SKIP LOCKED lets several processes claim
     * at once on PostgreSQL.
     */
    async claim(limit: number, lockMs: number, retryWindowMs: number): Promise<ClaimedEvent[]> {
      const rows = await db.query<EventRow & { client_id: string }>(
        `update webhook_events e
         set attempts = e.attempts + 1,
             locked_until = now() + make_interval(secs => $2),
             retry_until = coalesce(e.retry_until, now() + make_interval(secs => $3))
         where e.event_id in (
           select w.event_id from webhook_events w
           where w.status = 'pending' and w.next_attempt_at <= now()
             and (w.locked_until is null or w.locked_until < now())
             and not exists (
               select 1 from webhook_events p where p.session_id = w.session_id and p.status = 'pending' and p.seq < w.seq)
           order by w.next_attempt_at, w.seq
           limit $1
           for update skip locked)
         returning e.event_id, e.client_id, e.session_id, e.event_name, e.body, e.attempts`,
        [limit, secs(lockMs), secs(retryWindowMs)],
      );
      return rows.map((r) => ({
        eventId: r.event_id,
        clientId: r.client_id,
        sessionId: r.session_id,
        eventName: r.event_name,
        body: r.body,
        attempt: r.attempts,
      }));
    },

    /**
     * Records an attempt and its outcome. A retry that would fall after the event's retry
     * window fails the event instead. Only the claimant of this attempt may record it: a worker
     * whose lock ran out (and whose event was taken again) changes nothing.
     */
    async recordAttempt(event: ClaimedEvent, attempt: AttemptRecord | null, verdict: AttemptVerdict): Promise<EventStatus | null> {
      if (attempt) {
        await db.query(
          `insert into webhook_attempts (event_id, attempt, started_at, status_code, latency_ms, error)
           values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
          [event.eventId, event.attempt, attempt.startedAt, attempt.statusCode, Math.round(attempt.latencyMs), attempt.error?.slice(0, 500) ?? null],
        );
      }
      const retryIn = verdict.kind === 'retry' ? secs(verdict.retryInMs) : 0;
      const rows = await db.query<{ status: EventStatus }>(
        `update webhook_events set
           status = case
             when $3 = 'delivered' then 'delivered'
             when $3 = 'skipped' then 'skipped'
             when now() + make_interval(secs => $4) > retry_until then 'failed'
             else 'pending' end,
           next_attempt_at = case when $3 = 'retry' then now() + make_interval(secs => $4) else next_attempt_at end,
           delivered_at = case when $3 = 'delivered' then now() else delivered_at end,
           last_error = $5,
           locked_until = null
         where event_id = $1 and attempts = $2
         returning status`,
        [event.eventId, event.attempt, verdict.kind, retryIn, verdict.kind === 'skipped' ? verdict.reason : (attempt?.error ?? null)],
      );
      const status = rows[0]?.status ?? null;
      if (status && status !== 'pending') await db.query('update webhook_events set finished_at = now() where event_id = $1', [event.eventId]);
      return status;
    },

    /** Every event of a session, newest first, each with its attempts in order. */
    async listForSession(sessionId: string): Promise<StoredEvent[]> {
      const events = await db.query<EventRow>('select * from webhook_events where session_id = $1 order by seq desc', [sessionId]);
      const attempts = await db.query<AttemptRow>(
        `select a.* from webhook_attempts a join webhook_events e using (event_id)
         where e.session_id = $1 order by a.event_id, a.attempt`,
        [sessionId],
      );
      return events.map((e) => ({
        eventId: e.event_id,
        sessionId: e.session_id,
        eventName: e.event_name,
        body: e.body,
        createdAt: e.created_at,
        status: e.status,
        attempts: e.attempts,
        nextAttemptAt: e.status === 'pending' ? e.next_attempt_at : null,
        deliveredAt: e.delivered_at,
        finishedAt: e.finished_at,
        lastError: e.last_error,
        log: attempts
          .filter((a) => a.event_id === e.event_id)
          .map((a) => ({ attempt: a.attempt, startedAt: a.started_at, statusCode: a.status_code, latencyMs: a.latency_ms, error: a.error })),
      }));
    },

    /** Makes an event due again now, with a fresh retry window; false when the session has no such event. */
    async replay(sessionId: string, eventId: string, retryWindowMs: number): Promise<boolean> {
      const rows = await db.query(
        `update webhook_events set status = 'pending', next_attempt_at = now(),
           retry_until = now() + make_interval(secs => $3), finished_at = null
         where session_id = $1 and event_id = $2 returning 1`,
        [sessionId, eventId, secs(retryWindowMs)],
      );
      return rows.length > 0;
    },

    async deleteForSession(sessionId: string): Promise<void> {
      await db.query('delete from webhook_events where session_id = $1', [sessionId]);
    },

    async clientWebhook(clientId: string): Promise<ClientWebhook> {
      const rows = await db.query<{
        webhook_url: string | null;
        webhook_mode: number | null;
        webhook_secret: string | null;
        previous_webhook_secret: string | null;
        previous_live: boolean;
      }>(
        `select webhook_url, webhook_mode, webhook_secret, previous_webhook_secret,
           coalesce(previous_webhook_secret_until > now(), false) as previous_live
         from clients where client_id = $1`,
        [clientId],
      );
      const r = rows[0];
      if (!r) return { url: null, mode: null, secrets: [] };
      const secrets = [r.webhook_secret, r.previous_live ? r.previous_webhook_secret : null].filter((s): s is string => s !== null);
      return { url: r.webhook_url, mode: r.webhook_mode, secrets };
    },

    /** Sets the URL and mode; gives the client a signing secret if it has none, and returns that new secret. */
    async setWebhook(clientId: string, url: string | null, mode: number, newSecret: string): Promise<string | null> {
      const rows = await db.query<{ created: boolean }>(
        `update clients set webhook_url = $2, webhook_mode = $3,
           webhook_secret = coalesce(webhook_secret, $4), updated_at = now()
         where client_id = $1
         returning webhook_secret = $4 as created`,
        [clientId, url, mode, newSecret],
      );
      return rows[0]?.created ? newSecret : null;
    },

    /** Replaces the signing secret; the old one keeps signing too for `graceMs`. */
    async rotateSecret(clientId: string, newSecret: string, graceMs: number): Promise<Date | null> {
      const rows = await db.query<{ until: Date | null }>(
        `update clients set
           previous_webhook_secret = webhook_secret,
           previous_webhook_secret_until = case when webhook_secret is null then null else now() + make_interval(secs => $3) end,
           webhook_secret = $2, updated_at = now()
         where client_id = $1
         returning previous_webhook_secret_until as until`,
        [clientId, newSecret, secs(graceMs)],
      );
      return rows[0]?.until ?? null;
    },
  };
}
