/**
 * Delivers the outbox. Runs beside the job worker in every process with RUN_JOBS: it claims
 * due events (several processes may, on PostgreSQL), keeps up to `concurrency` deliveries in
 * flight, at most `maxInFlightPerClient` of them to one client (so a lender whose receiver hangs
 * cannot hold every slot), and records every attempt. A claimed event is locked for longer than an attempt can
 * take; if its process dies (even `kill -9`), the lock runs out and the event is taken again,
 * so delivery is at least once.
 */
import http from 'node:http';
import https from 'node:https';
import type { WebhookSettings } from '../config.ts';
import type { KeepAliveAgents } from '../net/public-url.ts';
import type { Db } from '../ports/db.ts';
import { GroupCommit } from '../store/group-commit.ts';
import { webhooksRepository, type AttemptOutcome, type ClaimedEvent, type ClientWebhook } from '../store/repositories/webhooks-repository.ts';
import { attemptDelivery, retryAfterMs, retryDelayMs } from './webhook-delivery.ts';

export interface DispatcherOptions {
  /** How often to look for due events when nothing woke the dispatcher. */
  pollMs: number;
  onError?: (error: unknown) => void;
  /** The clock a Retry-After date is read against (the app's `now`). */
  now?: () => Date;
}

export class WebhookDispatcher {
  private readonly db: Db;
  private readonly settings: WebhookSettings;
  private readonly options: DispatcherOptions;
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries in flight by client id; a client with none has no entry. */
  private readonly inFlightByClient = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private filling: Promise<void> | null = null;
  private fillAgain: 'no' | 'batch' | 'any' = 'no';
  /** Outcomes finishing together are recorded in one transaction. */
  private readonly outcomes: GroupCommit<AttemptOutcome>;
  /**
   * Connections to receivers are kept open between deliveries (a TLS handshake per event
   * would cost more than the delivery). They are this dispatcher's own, so every socket in
   * them was opened under this dispatcher's address rules.
   */
  private readonly agents: KeepAliveAgents;

  constructor(db: Db, settings: WebhookSettings, options: DispatcherOptions) {
    this.db = db;
    this.settings = settings;
    this.options = options;
    this.outcomes = new GroupCommit((rows) => db.transaction(async (tx) => void (await webhooksRepository(tx).recordAttempts(rows))), {
      maxBatch: 256,
      maxInFlight: db.kind === 'pglite' ? 1 : 2,
    });
    // Idle sockets close after 4 s, before a receiver's own idle timeout (Node's is 5 s) would
    // race a delivery on them.
    const pool = { keepAlive: true, maxSockets: settings.concurrency, maxFreeSockets: settings.concurrency, timeout: 4_000 };
    this.agents = { http: new http.Agent(pool), https: new https.Agent(pool) };
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Look for due events now (after a state change that recorded one, for example). */
  wake(): void {
    if (!this.stopped) void this.fill('any');
  }

  /** Stops claiming and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.filling;
    await Promise.all(this.inFlight);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /**
   * One claimer at a time per process; a wake during a claim makes it claim once more.
   * `batch` claims only once half the slots are free (a finished delivery asks for this: a claim
   * costs a query, whether it takes one event or many); `any` fills whatever slots are free, so
   * that deliveries which hang cannot keep the others waiting for more than a poll period.
   */
  private fill(mode: 'batch' | 'any'): Promise<void> {
    if (this.filling) {
      if (this.fillAgain !== 'any') this.fillAgain = mode;
      return this.filling;
    }
    this.filling = (async () => {
      // Let `this.filling` be set before anything below can clear it.
      await Promise.resolve();
      try {
        let next: 'no' | 'batch' | 'any' = mode;
        do {
          this.fillAgain = 'no';
          if (this.stopped) return;
          await this.claim(next);
          next = this.fillAgain;
        } while (next !== 'no');
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.filling = null;
      }
    })();
    return this.filling;
  }

  private async claim(mode: 'batch' | 'any'): Promise<void> {
    const free = this.settings.concurrency - this.inFlight.size;
    if (free <= 0 || (mode === 'batch' && this.inFlight.size > 0 && free < Math.ceil(this.settings.concurrency / 2))) return;
    // Longer than an attempt (bounded by the timeout) plus recording it.
    const lockMs = this.settings.timeoutMs + 5_000;
    const fairness = { maxPerClient: this.settings.maxInFlightPerClient, inFlight: new Map(this.inFlightByClient) };
    const { events, targets } = await this.db.transaction(async (tx) => {
      const repo = webhooksRepository(tx);
      const claimed = await repo.claim(free, lockMs, this.settings.retryWindowMs, fairness);
      // Read at every claim, so a changed URL or a rotated secret applies to waiting events too.
      return { events: claimed, targets: claimed.length === 0 ? new Map<string, ClientWebhook>() : await repo.clientWebhooks([...new Set(claimed.map((e) => e.clientId))]) };
    });
    for (const event of events) {
      this.inFlightByClient.set(event.clientId, (this.inFlightByClient.get(event.clientId) ?? 0) + 1);
      const delivery: Promise<void> = this.deliver(event, targets.get(event.clientId))
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.inFlight.delete(delivery);
          const left = (this.inFlightByClient.get(event.clientId) ?? 1) - 1;
          if (left > 0) this.inFlightByClient.set(event.clientId, left);
          else this.inFlightByClient.delete(event.clientId);
          // A slot is free, and the session's next event may now be due.
          if (!this.stopped) void this.fill('batch');
        });
      this.inFlight.add(delivery);
    }
    // A full batch suggests more are due.
    if (events.length === free && this.fillAgain === 'no') this.fillAgain = 'batch';
  }

  private async deliver(event: ClaimedEvent, target: ClientWebhook | undefined): Promise<void> {
    if (!target?.url || target.secrets.length === 0) {
      await this.outcomes.write({ event, attempt: null, verdict: { kind: 'skipped', reason: 'No webhook_url is configured for this client.' } });
      return;
    }
    const result = await attemptDelivery(target.url, event.eventId, event.body, target.secrets, this.settings, this.agents);
    const now = this.options.now?.() ?? new Date();
    await this.outcomes.write({
      event,
      attempt: result,
      verdict: result.ok
        ? { kind: 'delivered' }
        : { kind: 'retry', retryInMs: retryDelayMs(event.attempt, this.settings.retryBaseMs), retryAfterMs: retryAfterMs(result.retryAfter, now.getTime()) },
    });
  }
}
