/**
 * The webhook outbox and delivery log, and each client's webhook settings. Times that decide
 * delivery (due, locks, retry window) are the database's clock, like the job queue's, so that
 * several processes on one PostgreSQL agree on them.
 */
import type { AttemptRecord, EventStatus, StoredEvent } from '../../domain/webhook-event.ts';
import type { Queryable } from '../../ports/db.ts';

export type { AttemptRecord, EventStatus, StoredEvent };

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

/**
 * What to do after an attempt: done, or try again after `retryInMs` (the back-off), or later if
 * the receiver asked for it with a 429's Retry-After (`retryAfterMs`), though never after the
 * event's retry window; an event whose next attempt would fall after the window fails.
 */
export type AttemptVerdict = { kind: 'delivered' } | { kind: 'retry'; retryInMs: number; retryAfterMs?: number | null } | { kind: 'skipped'; reason: string };

export interface AttemptOutcome {
  event: ClaimedEvent;
  /** Null when no attempt was made (skipped). */
  attempt: AttemptRecord | null;
  verdict: AttemptVerdict;
}

export interface ClientWebhook {
  url: string | null;
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
/**
 * Waits given to the database are cut to this. It is far longer than any retry window
 * (WEBHOOK_RETRY_HOURS is at most a week), so it changes no schedule, and far inside the
 * timestamp range: a receiver's `Retry-After: 99999999999999` would overflow it and make
 * recording the attempt fail, again at every retry.
 */
const MAX_WAIT_MS = 365 * 24 * 3600_000;
const waitSecs = (ms: number | null | undefined) => secs(Math.min(Math.max(ms ?? 0, 0), MAX_WAIT_MS));

export function webhooksRepository(db: Queryable) {
  /** The webhook settings of several clients in one query (a claimed batch). */
  async function clientWebhooks(clientIds: string[]): Promise<Map<string, ClientWebhook>> {
    const rows = await db.query<{
      client_id: string;
      webhook_url: string | null;
      webhook_secret: string | null;
      previous_webhook_secret: string | null;
      previous_live: boolean;
    }>(
      `select client_id, webhook_url, webhook_secret, previous_webhook_secret,
         coalesce(previous_webhook_secret_until > now(), false) as previous_live
       from clients where client_id = any($1::uuid[])`,
      [clientIds],
    );
    return new Map(
      rows.map((r) => [
        r.client_id,
        {
          url: r.webhook_url,
          secrets: [r.webhook_secret, r.previous_live ? r.previous_webhook_secret : null].filter((s): s is string => s !== null),
        },
      ]),
    );
  }

  async function recordOne({ event, attempt, verdict }: AttemptOutcome): Promise<EventStatus | null> {
    // The attempt and the outcome in one statement.
    const rows = await db.query<{ status: EventStatus }>(
      `with logged as (
         insert into webhook_attempts (event_id, attempt, started_at, status_code, latency_ms, error)
         select $1::uuid, $2::integer, $6::timestamptz, $7::integer, $8::integer, $9::text where $10::boolean
         on conflict do nothing),
       -- The back-off, or the receiver's Retry-After if later, but no later than the window's
       -- end: a 429 can slow the retries down, not speed them up nor put them off forever.
       schedule as (
         select greatest(now() + make_interval(secs => $4), least(now() + make_interval(secs => $11), retry_until)) as at
         from webhook_events where event_id = $1),
       outcome as (
         select case
           when $3 = 'delivered' then 'delivered'
           when $3 = 'skipped' then 'skipped'
           when schedule.at > retry_until then 'failed'
           else 'pending' end as status,
           schedule.at as next_attempt_at
         from webhook_events, schedule where event_id = $1)
       update webhook_events e set
         status = outcome.status,
         next_attempt_at = case when $3 = 'retry' then outcome.next_attempt_at else e.next_attempt_at end,
         delivered_at = case when $3 = 'delivered' then now() else e.delivered_at end,
         finished_at = case when outcome.status = 'pending' then null else now() end,
         last_error = $5,
         locked_until = null
       from outcome
       where e.event_id = $1 and e.attempts = $2
       returning e.status`,
      [
        event.eventId,
        event.attempt,
        verdict.kind,
        verdict.kind === 'retry' ? waitSecs(verdict.retryInMs) : 0,
        verdict.kind === 'skipped' ? verdict.reason : (attempt?.error?.slice(0, 500) ?? null),
        attempt?.startedAt ?? null,
        attempt?.statusCode ?? null,
        attempt ? Math.round(attempt.latencyMs) : null,
        attempt?.error?.slice(0, 500) ?? null,
        attempt !== null,
        verdict.kind === 'retry' ? waitSecs(verdict.retryAfterMs) : 0,
      ],
    );
    return rows[0]?.status ?? null;
  }

  return {
    clientWebhooks,

    /**
     * Pass a transaction's executor: the event must commit with the change that causes it.
     * The caller must hold the session row's lock (every state change that records an event
     * updates that row first): deliveries take the same lock to record an outcome, so whether
     * the new event is its session's head is decided knowing every recorded outcome.
     */
    async insert(e: NewWebhookEvent): Promise<void> {
      await db.query(
        `insert into webhook_events (event_id, client_id, session_id, event_name, body, created_at, next_attempt_at, head)
         values ($1, $2, $3, $4, $5, $6, now(),
           not exists (select 1 from webhook_events where session_id = $3 and status = 'pending'))`,
        [e.eventId, e.clientId, e.sessionId, e.eventName, e.body, e.createdAt],
      );
    },

    /**
     * Locks up to `limit` due events for one attempt each; run it in a transaction. Only a
     * session's head can be due, which keeps each session's events in order. SKIP LOCKED lets
     * several processes claim at once on PostgreSQL.
     *
     * Clients take turns: each client's oldest due event first (oldest first among them), then
     * each one's second, and so on, so one client's backlog cannot fill the batch while another
     * client's event waits. With `fairness`, a client gets at most `maxPerClient` events less
     * those the caller already has in flight for it (`inFlight`, by client id).
     */
    async claim(
      limit: number,
      lockMs: number,
      retryWindowMs: number,
      fairness: { maxPerClient: number; inFlight: ReadonlyMap<string, number> } | null = null,
    ): Promise<ClaimedEvent[]> {
      // Walk each client's due index in order and stop after its share, whatever the table's
      // statistics say: PGlite never analyzes, and without statistics the planner would sort
      // every pending event on each claim, which grows with the backlog.
      await db.query("select set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)");
      const busy = [...(fairness?.inFlight ?? new Map<string, number>())];
      const rows = await db.query<EventRow & { client_id: string }>(
        `with busy as (
           select * from unnest($4::uuid[], $5::integer[]) as b(client_id, in_flight)),
         share as (
           select c.client_id, least($1::integer, coalesce($6::integer, $1::integer) - coalesce(b.in_flight, 0)) as slots
           from clients c left join busy b on b.client_id = c.client_id),
         due as (
           select d.event_id, d.next_attempt_at, d.seq,
             row_number() over (partition by s.client_id order by d.next_attempt_at, d.seq) as turn
           from share s
           cross join lateral (
             select w.event_id, w.next_attempt_at, w.seq from webhook_events w
             where w.client_id = s.client_id and w.status = 'pending' and w.head and w.next_attempt_at <= now()
               and (w.locked_until is null or w.locked_until < now())
             order by w.next_attempt_at, w.seq
             limit s.slots
             for update skip locked) d
           where s.slots > 0)
         update webhook_events e
         set attempts = e.attempts + 1,
             locked_until = now() + make_interval(secs => $2),
             retry_until = coalesce(e.retry_until, now() + make_interval(secs => $3))
         where e.event_id in (select event_id from due order by turn, next_attempt_at, seq limit $1)
         returning e.event_id, e.client_id, e.session_id, e.event_name, e.body, e.attempts`,
        [limit, secs(lockMs), secs(retryWindowMs), busy.map(([id]) => id), busy.map(([, n]) => n), fairness?.maxPerClient ?? null],
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
     * Records attempts and their outcomes; run it in a transaction. A retry that would fall
     * after the event's retry window fails the event instead. Only the claimant of an attempt
     * may record it: a worker whose lock ran out (and whose event was taken again) changes
     * nothing. When an event leaves `pending`, its session's next pending event becomes the head.
     */
    async recordAttempts(outcomes: AttemptOutcome[]): Promise<(EventStatus | null)[]> {
      const sessions = [...new Set(outcomes.map((o) => o.event.sessionId))].sort();
      // In a fixed order, so that two writers cannot deadlock.
      await db.query('select 1 from sessions where session_id = any($1::uuid[]) order by session_id for no key update', [sessions]);
      const statuses: (EventStatus | null)[] = [];
      for (const outcome of outcomes) statuses.push(await recordOne(outcome));
      const moved = sessions.filter((sid) => outcomes.some((o, i) => o.event.sessionId === sid && statuses[i] !== 'pending'));
      if (moved.length > 0) {
        await db.query(
          `update webhook_events e set head = true
           where e.event_id in (
             select distinct on (session_id) event_id from webhook_events
             where session_id = any($1::uuid[]) and status = 'pending'
             order by session_id, seq)
           and not e.head
           and not exists (select 1 from webhook_events h where h.session_id = e.session_id and h.status = 'pending' and h.head)`,
          [moved],
        );
      }
      return statuses;
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
        nextAttemptAt: e.status === 'pending' ? e.next_attempt_at : null,
        deliveredAt: e.delivered_at,
        lastError: e.last_error,
        log: attempts
          .filter((a) => a.event_id === e.event_id)
          .map((a) => ({ attempt: a.attempt, startedAt: a.started_at, statusCode: a.status_code, latencyMs: a.latency_ms, error: a.error })),
      }));
    },

    /**
     * Makes an event due again now, with a fresh retry window; false when the session has no
     * such event. Run it in a transaction. It goes out in its session's order: at once if no
     * other event of the session is pending, else after those before it.
     */
    async replay(sessionId: string, eventId: string, retryWindowMs: number): Promise<boolean> {
      await db.query('select 1 from sessions where session_id = $1 for no key update', [sessionId]);
      const rows = await db.query(
        `update webhook_events set status = 'pending', next_attempt_at = now(),
           retry_until = now() + make_interval(secs => $3), finished_at = null,
           -- A pending head stays the head; otherwise it leads only if nothing else is pending.
           head = (status = 'pending' and head) or not exists (
             select 1 from webhook_events o where o.session_id = $1 and o.status = 'pending' and o.event_id <> $2)
         where session_id = $1 and event_id = $2 returning 1`,
        [sessionId, eventId, secs(retryWindowMs)],
      );
      return rows.length > 0;
    },

    /** The bodies of the named event of these sessions, newest first, with when each was recorded. */
    async bodiesOf(sessionIds: string[], eventName: string): Promise<{ sessionId: string; body: string; createdAt: Date }[]> {
      if (sessionIds.length === 0) return [];
      const rows = await db.query<{ session_id: string; body: string; created_at: Date }>(
        'select session_id, body, created_at from webhook_events where session_id = any($1::uuid[]) and event_name = $2 order by created_at desc, seq desc',
        [sessionIds, eventName],
      );
      return rows.map((r) => ({ sessionId: r.session_id, body: r.body, createdAt: r.created_at }));
    },

    async deleteForSession(sessionId: string): Promise<void> {
      await db.query('delete from webhook_events where session_id = $1', [sessionId]);
    },

    async clientWebhook(clientId: string): Promise<ClientWebhook> {
      return (await clientWebhooks([clientId])).get(clientId) ?? { url: null, secrets: [] };
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
