/**
 * Webhook configuration and delivery log: update_webhook (BankConnect), plus Passbook's
 * secret rotation, test delivery, per-session event log and replay.
 */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import {
  listWebhookEvents,
  replayWebhookEvent,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhook,
} from '../../usecases/manage-webhooks.ts';
import { AppError } from '../../errors/codes.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';
import { validateFields } from '../../wire/fields.ts';
import { updateWebhookFields, webhookMode } from '../../wire/webhook-request.ts';
import {
  ReplayQueued,
  renderEvents,
  renderReplayQueued,
  renderSecretRotated,
  renderTestDelivery,
  renderWebhookUpdated,
  TestDelivery,
  WebhookEvents,
  WebhookSecretRotated,
  WebhookUpdated,
} from '../../wire/webhook-wire.ts';
import { Uuid } from '../../wire/wire-formats.ts';

export function webhookRoutes(router: Router, deps: Deps): void {
  const auth = 'api-key-and-server-hash' as const;
  const base = '/bank-connect/v1/session_data';

  router.route({
    method: 'POST',
    url: `${base}/update_webhook/`,
    auth,
    startsWork: true,
    body: { maxParameters: 3 },
    summary: 'Set the webhook URL (https, public address); the first call also returns the signing secret, once',
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: updateWebhookFields },
    responses: { 200: { description: 'Saved', json: WebhookUpdated } },
    errors: ['INVALID_URL'],
    async handler({ client, params }) {
      const v = validateFields(updateWebhookFields, params);
      const { newSecret } = await updateWebhook(deps, client, { url: v.webhook_url, mode: webhookMode(v.webhook_mode) });
      return { body: renderWebhookUpdated(newSecret) };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/rotate_webhook_secret/`,
    auth,
    startsWork: true,
    summary: 'A new webhook signing secret; the previous one keeps signing for 24 hours',
    responses: { 200: { description: 'The new secret', json: WebhookSecretRotated } },
    async handler({ client }) {
      const { secret, previousValidUntil } = await rotateWebhookSecret(deps, client);
      return { body: renderSecretRotated(secret, previousValidUntil) };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/send_test_webhook/`,
    auth,
    startsWork: true,
    summary: 'One signed TEST_NOTIFICATION to the webhook URL, now',
    description: 'A refused delivery (WEBHOOK_DELIVERY_FAILED) carries event_id, status_code and latency_ms beside the error.',
    responses: { 200: { description: 'Delivered', json: TestDelivery } },
    errors: ['WEBHOOK_NOT_CONFIGURED', 'WEBHOOK_DELIVERY_FAILED'],
    async handler({ client }) {
      const { eventId, result } = await sendTestWebhook(deps, client);
      const delivery = renderTestDelivery(eventId, result.statusCode, result.latencyMs);
      if (!result.ok) {
        const { message: _success, ...outcome } = delivery;
        throw new AppError('WEBHOOK_DELIVERY_FAILED', result.error ?? undefined, outcome);
      }
      return { body: delivery };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/:session_id/webhook_payloads/`,
    auth,
    startsWork: false,
    summary: "The session's webhook events, newest first, with their payloads and every delivery attempt",
    params: Type.Object({ session_id: Uuid }),
    responses: { 200: { description: 'Events', json: WebhookEvents } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED'],
    async handler({ client, path }) {
      const events = await listWebhookEvents(deps, client, path.session_id);
      return { body: renderEvents(path.session_id, events) };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/:session_id/webhook_payloads/:event_id/replay/`,
    auth,
    startsWork: true,
    summary: 'Send an event again (same event_id and body, fresh retry window)',
    params: Type.Object({ session_id: Uuid, event_id: Uuid }),
    responses: { 202: { description: 'Queued', json: ReplayQueued } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'WEBHOOK_EVENT_NOT_FOUND', 'WEBHOOK_NOT_CONFIGURED'],
    async handler({ client, path }) {
      await replayWebhookEvent(deps, client, path.session_id, path.event_id);
      return { status: 202, body: renderReplayQueued(path.event_id) };
    },
  });
}
