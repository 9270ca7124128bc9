/**
 * What a signed-in console user changes, through the same use cases as the API, each change
 * written to the client's audit log; and the statement PDF the console's viewer shows.
 */
import type { Client, ClientChanges, ClientCredentials } from '../domain/client.ts';
import type { ConsoleUser } from '../domain/console-user.ts';
import { AppError } from '../errors/codes.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';
import { webhooksRepository } from '../store/repositories/webhooks-repository.ts';
import type { AttemptResult } from '../webhooks/webhook-delivery.ts';
import { recordAudit } from './console-users.ts';
import type { Deps } from './deps.ts';
import { rotateClientKeys, updateClient } from './manage-clients.ts';
import { replayWebhookEvent, rotateWebhookSecret, sendTestWebhook, updateWebhook } from './manage-webhooks.ts';
import { readSessionAccounts } from './read-session-data.ts';
import { createSession, type CreateSessionInput } from './create-session.ts';

type ActionDeps = Pick<Deps, 'db' | 'now' | 'webhookSettings' | 'webhooks' | 'clients'>;

const by = (user: ConsoleUser) => ({ kind: 'user' as const, user });

/** The PDF of one of the client's statements, for the viewer (NOT_FOUND for another client's, or Account Aggregator data). */
export async function statementPdfForConsole(deps: Pick<Deps, 'db' | 'now' | 'blobs'>, client: Client, sessionId: string, statementId: string): Promise<Buffer> {
  const { accounts } = await readSessionAccounts(deps, client, sessionId);
  const statement = accounts.flatMap((a) => a.statements).find((s) => s.statementId === statementId);
  if (!statement || statement.source !== 'pdf') throw new AppError('NOT_FOUND', 'No statement PDF with this id in this session.');
  const blobKey = await statementsRepository(deps.db).blobKeyOf(statementId);
  const bytes = blobKey ? await deps.blobs.get(blobKey) : null;
  if (!bytes) throw new AppError('NOT_FOUND', 'This statement PDF is no longer stored.');
  return bytes;
}

/**
 * A session made from the console, for a lender without an integration: the same rules and
 * answer as the Session API (the journey link to send the borrower), written to the audit log.
 */
export async function createSessionAsUser(deps: Deps, client: Client, user: ConsoleUser, input: CreateSessionInput): Promise<{ sessionId: string; journeyUrl: string }> {
  const { body } = await createSession(deps, client, input);
  await recordAudit(deps, client.clientId, by(user), 'session.create', body.session_id, { link_id: input.link_id });
  return { sessionId: body.session_id, journeyUrl: body.redirect_url };
}

export async function replayWebhookAsUser(deps: ActionDeps, client: Client, user: ConsoleUser, sessionId: string, eventId: string): Promise<void> {
  await replayWebhookEvent(deps, client, sessionId, eventId);
  await recordAudit(deps, client.clientId, by(user), 'webhook.replay', eventId, { session_id: sessionId });
}

export async function sendTestWebhookAsUser(deps: ActionDeps, client: Client, user: ConsoleUser): Promise<{ eventId: string; result: AttemptResult }> {
  const sent = await sendTestWebhook(deps, client);
  await recordAudit(deps, client.clientId, by(user), 'webhook.test', sent.eventId, { status_code: sent.result.statusCode });
  return sent;
}

export interface ConsoleSettings {
  client: Client;
  webhookUrl: string | null;
}

export async function readConsoleSettings(deps: Pick<Deps, 'db'>, client: Client): Promise<ConsoleSettings> {
  return { client, webhookUrl: (await webhooksRepository(deps.db).clientWebhook(client.clientId)).url };
}

export async function updateSettingsAsUser(deps: ActionDeps, client: Client, user: ConsoleUser, changes: Pick<ClientChanges, 'allowedRedirectHosts' | 'frameOrigins'>): Promise<Client> {
  const updated = await updateClient(deps, client.clientId, changes);
  await recordAudit(deps, client.clientId, by(user), 'settings.update', client.clientId, {
    ...(changes.allowedRedirectHosts ? { allowed_redirect_hosts: updated.allowedRedirectHosts } : {}),
    ...(changes.frameOrigins ? { frame_origins: updated.frameOrigins } : {}),
  });
  return updated;
}

export async function setWebhookAsUser(deps: ActionDeps, client: Client, user: ConsoleUser, url: string): Promise<{ newSecret: string | null }> {
  const result = await updateWebhook(deps, client, { url, mode: 1 });
  // The URL is the lender's own endpoint, not a secret; the secret is never written down.
  await recordAudit(deps, client.clientId, by(user), 'webhook.set_url', client.clientId, { webhook_url: url });
  return result;
}

export async function rotateWebhookSecretAsUser(deps: ActionDeps, client: Client, user: ConsoleUser): Promise<{ secret: string; previousValidUntil: Date | null }> {
  const rotated = await rotateWebhookSecret(deps, client);
  await recordAudit(deps, client.clientId, by(user), 'webhook.rotate_secret', client.clientId);
  return rotated;
}

export async function rotateApiKeysAsUser(deps: ActionDeps, client: Client, user: ConsoleUser): Promise<{ client: Client; credentials: ClientCredentials }> {
  const rotated = await rotateClientKeys(deps, client.clientId);
  await recordAudit(deps, client.clientId, by(user), 'api_keys.rotate', client.clientId);
  return rotated;
}
