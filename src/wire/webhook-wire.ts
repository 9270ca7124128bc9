/**
 * Answers of the webhook APIs: update_webhook (BankConnect), and Passbook's secret rotation,
 * test delivery, per-session event log and replay.
 */
import { Type, type Static } from 'typebox';
import type { StoredEvent } from '../domain/webhook-event.ts';
import { IsoDateTime, Nullable, OneOf, Uuid } from './wire-formats.ts';

const iso = (d: Date | null) => d && d.toISOString();

const Success = Type.Literal('success');
const Secret = Type.String({ pattern: '^whsec_', description: 'The signing secret; shown only here.' });

/** `update_webhook/`: the secret only when this call created it. */
export const WebhookUpdated = Type.Object({ message: Success, webhook_secret: Type.Optional(Secret) });

/** `rotate_webhook_secret/`. */
export const WebhookSecretRotated = Type.Object({
  message: Success,
  webhook_secret: Secret,
  previous_secret_valid_until: Nullable(IsoDateTime),
});

/** What one delivery did: in send_test_webhook's answer, and beside its error when refused. */
export const TestDelivery = Type.Object({
  message: Success,
  event_id: Uuid,
  status_code: Nullable(Type.Integer()),
  latency_ms: Type.Integer(),
});

export const WebhookEvent = Type.Object({
  event_id: Uuid,
  event_name: Type.String(),
  status: OneOf(['pending', 'delivered', 'failed', 'skipped']),
  created_at: IsoDateTime,
  delivered_at: Nullable(IsoDateTime),
  next_attempt_at: Nullable(IsoDateTime),
  last_error: Nullable(Type.String()),
  attempts: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      started_at: IsoDateTime,
      status_code: Nullable(Type.Integer()),
      latency_ms: Type.Number(),
      error: Nullable(Type.String()),
    }),
  ),
  payload: Type.Record(Type.String(), Type.Unknown(), { description: 'Exactly the body that was (or will be) sent and signed.' }),
});
export type WebhookEvent = Static<typeof WebhookEvent>;

/** `<session_id>/webhook_payloads/`, newest first. */
export const WebhookEvents = Type.Object({ session_id: Uuid, payloads: Type.Array(WebhookEvent) });

/** `<session_id>/webhook_payloads/<event_id>/replay/` (202). */
export const ReplayQueued = Type.Object({ message: Success, event_id: Uuid, status: Type.Literal('pending') });

export function renderWebhookUpdated(newSecret: string | null): Static<typeof WebhookUpdated> {
  // The signing secret is shown once, when it is created; rotate_webhook_secret makes a new one.
  return newSecret ? { message: 'success', webhook_secret: newSecret } : { message: 'success' };
}

export function renderSecretRotated(secret: string, previousValidUntil: Date | null): Static<typeof WebhookSecretRotated> {
  return { message: 'success', webhook_secret: secret, previous_secret_valid_until: iso(previousValidUntil) };
}

export function renderTestDelivery(eventId: string, statusCode: number | null, latencyMs: number): Static<typeof TestDelivery> {
  return { message: 'success', event_id: eventId, status_code: statusCode, latency_ms: Math.round(latencyMs) };
}

export function renderEvent(e: StoredEvent): WebhookEvent {
  return {
    event_id: e.eventId,
    event_name: e.eventName,
    status: e.status,
    created_at: e.createdAt.toISOString(),
    delivered_at: iso(e.deliveredAt),
    next_attempt_at: iso(e.nextAttemptAt),
    last_error: e.lastError,
    attempts: e.log.map((a) => ({
      attempt: a.attempt,
      started_at: a.startedAt.toISOString(),
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      error: a.error,
    })),
    // Exactly what was (or will be) sent and signed: a JSON object.
    payload: JSON.parse(e.body) as Record<string, unknown>,
  };
}

export function renderEvents(sessionId: string, events: StoredEvent[]): Static<typeof WebhookEvents> {
  return { session_id: sessionId, payloads: events.map(renderEvent) };
}

export function renderReplayQueued(eventId: string): Static<typeof ReplayQueued> {
  return { message: 'success', event_id: eventId, status: 'pending' };
}
