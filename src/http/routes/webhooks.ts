/**
 * Webhook configuration and delivery log: update_webhook (BankConnect), plus Passbook's
 * secret rotation, test delivery, per-session event log and replay.
 */
import type { Deps } from '../../usecases/deps.ts';
import {
  listWebhookEvents,
  replayWebhookEvent,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhook,
} from '../../usecases/manage-webhooks.ts';
import { AppError } from '../../errors/codes.ts';
import type { StoredEvent } from '../../domain/webhook-event.ts';
import type { Router } from '../route.ts';
import { validateFields } from '../../wire/fields.ts';
import { updateWebhookFields, webhookMode } from '../../wire/webhook-request.ts';

const iso = (d: Date | null) => d && d.toISOString();

function renderEvent(e: StoredEvent): Record<string, unknown> {
  return {
    event_id: e.eventId,
    event_name: e.eventName,
    status: e.status,
    created_at: iso(e.createdAt),
    delivered_at: iso(e.deliveredAt),
    next_attempt_at: iso(e.nextAttemptAt),
    last_error: e.lastError,
    attempts: e.log.map((a) => ({
      attempt: a.attempt,
      started_at: iso(a.startedAt),
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      error: a.error,
    })),
    // Exactly what was (or will be) sent and signed.
    payload: JSON.parse(e.body) as unknown,
  };
}

export function webhookRoutes(router: Router, deps: Deps): void {
  const auth = 'api-key-and-server-hash' as const;
  const base = '/bank-connect/v1/session_data';

  router.route({
    method: 'POST',
    url: `${base}/update_webhook/`,
    auth,
    body: { maxParameters: 3 },
    async handler({ client, params }) {
      const v = validateFields(updateWebhookFields, params);
      const { newSecret } = await updateWebhook(deps, client, { url: v.webhook_url, mode: webhookMode(v.webhook_mode) });
      // The signing secret is shown once, when it is created; rotate_webhook_secret makes a new one.
      return { body: newSecret ? { message: 'success', webhook_secret: newSecret } : { message: 'success' } };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/rotate_webhook_secret/`,
    auth,
    async handler({ client }) {
      const { secret, previousValidUntil } = await rotateWebhookSecret(deps, client);
      return { body: { message: 'success', webhook_secret: secret, previous_secret_valid_until: iso(previousValidUntil) } };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/send_test_webhook/`,
    auth,
    async handler({ client }) {
      const { eventId, result } = await sendTestWebhook(deps, client);
      const outcome = { event_id: eventId, status_code: result.statusCode, latency_ms: Math.round(result.latencyMs) };
      if (!result.ok) throw new AppError('WEBHOOK_DELIVERY_FAILED', result.error ?? undefined, outcome);
      return { body: { message: 'success', ...outcome } };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/:session_id/webhook_payloads/`,
    auth,
    async handler({ client, path }) {
      const events = await listWebhookEvents(deps, client, path.session_id!);
      return { body: { session_id: path.session_id, payloads: events.map(renderEvent) } };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/:session_id/webhook_payloads/:event_id/replay/`,
    auth,
    async handler({ client, path }) {
      await replayWebhookEvent(deps, client, path.session_id!, path.event_id!);
      return { status: 202, body: { message: 'success', event_id: path.event_id, status: 'pending' } };
    },
  });
}
