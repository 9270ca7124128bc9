/**
 * A client's webhook: where events go (update_webhook), the secret that signs them, the
 * delivery log of a session's events, replays, and a test delivery.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '../domain/client.ts';
import { AppError } from '../errors/codes.ts';
import { isUuid } from '../lib/ids.ts';
import { checkPublicUrl, UrlRefusedError } from '../net/public-url.ts';
import { webhooksRepository, type StoredEvent } from '../store/repositories/webhooks-repository.ts';
import { attemptDelivery, type AttemptResult } from '../webhooks/webhook-delivery.ts';
import { testEventPayload } from '../webhooks/webhook-payloads.ts';
import { newWebhookSecret } from '../webhooks/webhook-signing.ts';
import type { Deps } from './deps.ts';
import { sessionForData } from './session-for-data.ts';

type WebhookDeps = Pick<Deps, 'db' | 'now' | 'webhookSettings' | 'webhooks'>;

/** How long a rotated-out secret keeps signing beside the new one. */
export const SECRET_GRACE_MS = 24 * 3600_000;

/** The URL is checked when saved, and again (at connect time) at every delivery. */
async function checkWebhookUrl(deps: WebhookDeps, url: string): Promise<void> {
  const { allowHttp, allowPrivate } = deps.webhookSettings;
  try {
    await checkPublicUrl(url, { allowHttp, allowPrivate });
  } catch (error) {
    if (error instanceof UrlRefusedError) throw new AppError('INVALID_URL', `webhook_url: ${error.message}`);
    throw error;
  }
}

/** Saves the URL and mode; returns the signing secret when this call created it (shown once). */
export async function updateWebhook(deps: WebhookDeps, client: Client, input: { url: string; mode: number }): Promise<{ newSecret: string | null }> {
  await checkWebhookUrl(deps, input.url);
  const newSecret = await webhooksRepository(deps.db).setWebhook(client.clientId, input.url, input.mode, newWebhookSecret());
  return { newSecret };
}

export async function rotateWebhookSecret(deps: WebhookDeps, client: Client): Promise<{ secret: string; previousValidUntil: Date | null }> {
  const secret = newWebhookSecret();
  const previousValidUntil = await webhooksRepository(deps.db).rotateSecret(client.clientId, secret, SECRET_GRACE_MS);
  return { secret, previousValidUntil };
}

export async function listWebhookEvents(deps: WebhookDeps, client: Client, sessionId: string): Promise<StoredEvent[]> {
  const session = await sessionForData(deps, client, sessionId);
  return webhooksRepository(deps.db).listForSession(session.sessionId);
}

/** Queues the event again (same event_id and body, fresh retry window); the worker sends it. */
export async function replayWebhookEvent(deps: WebhookDeps, client: Client, sessionId: string, eventId: string): Promise<void> {
  const session = await sessionForData(deps, client, sessionId);
  if (!isUuid(eventId)) throw new AppError('WEBHOOK_EVENT_NOT_FOUND');
  const repo = webhooksRepository(deps.db);
  if (!(await repo.clientWebhook(client.clientId)).url) throw new AppError('WEBHOOK_NOT_CONFIGURED');
  const found = await deps.db.transaction((tx) => webhooksRepository(tx).replay(session.sessionId, eventId, deps.webhookSettings.retryWindowMs));
  if (!found) throw new AppError('WEBHOOK_EVENT_NOT_FOUND');
  deps.webhooks?.wake();
}

/** One signed TEST_NOTIFICATION to the configured URL, right now, without retries or a log entry. */
export async function sendTestWebhook(deps: WebhookDeps, client: Client): Promise<{ eventId: string; result: AttemptResult }> {
  const target = await webhooksRepository(deps.db).clientWebhook(client.clientId);
  if (!target.url || target.secrets.length === 0) throw new AppError('WEBHOOK_NOT_CONFIGURED');
  const event = { eventId: randomUUID(), createdAt: deps.now() };
  const result = await attemptDelivery(target.url, event.eventId, JSON.stringify(testEventPayload(event)), target.secrets, deps.webhookSettings);
  return { eventId: event.eventId, result };
}
