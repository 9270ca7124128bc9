/** The console's settings page (admins only): redirect hosts, frame origins, the webhook, the API keys (docs/console.md). */
import { Type, type Static } from 'typebox';
import { readConsoleSettings, rotateApiKeysAsUser, rotateWebhookSecretAsUser, setWebhookAsUser, updateSettingsAsUser, type ConsoleSettings } from '../../usecases/console-actions.ts';
import type { Deps } from '../../usecases/deps.ts';
import { AppError } from '../../errors/codes.ts';
import { ClientWire, renderClient, toClientChanges, updateClientFields } from '../../wire/clients.ts';
import { validateFields } from '../../wire/fields.ts';
import { renderSecretRotated, WebhookSecretRotated } from '../../wire/webhook-wire.ts';
import { updateWebhookFields } from '../../wire/webhook-request.ts';
import { Nullable } from '../../wire/wire-formats.ts';
import type { Router } from '../route.ts';

const SettingsWire = Type.Object({
  client: ClientWire,
  webhook_url: Nullable(Type.String()),
});

function renderSettings(settings: ConsoleSettings): Static<typeof SettingsWire> {
  return { client: renderClient(settings.client), webhook_url: settings.webhookUrl };
}

const settingsFields = { allowed_redirect_hosts: updateClientFields.allowed_redirect_hosts, frame_origins: updateClientFields.frame_origins };
const webhookUrlFields = { webhook_url: updateWebhookFields.webhook_url };

export function consoleSettingsRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/console/api/settings',
    auth: 'console-admin',
    startsWork: false,
    summary: "The client's settings (admins only)",
    responses: { 200: { description: 'Settings', json: SettingsWire } },
    async handler({ client }) {
      return { body: renderSettings(await readConsoleSettings(deps, client)) };
    },
  });

  router.route({
    method: 'PATCH',
    url: '/console/api/settings',
    auth: 'console-admin',
    startsWork: false,
    body: { maxParameters: 2 },
    summary: 'Change the redirect hosts or frame origins (admins only); a list replaces the whole list',
    requestBody: { consumes: ['application/json'], fields: settingsFields },
    responses: { 200: { description: 'Saved', json: SettingsWire } },
    errors: ['INVALID_REQUEST'],
    async handler({ client, params, signIn }) {
      const v = validateFields(settingsFields, params);
      if (v.allowed_redirect_hosts === undefined && v.frame_origins === undefined) throw new AppError('INVALID_REQUEST', 'Give allowed_redirect_hosts or frame_origins.');
      const updated = await updateSettingsAsUser(deps, client, signIn.user, toClientChanges(v));
      return { body: renderSettings(await readConsoleSettings(deps, updated)) };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/settings/webhook',
    auth: 'console-admin',
    startsWork: true,
    body: { maxParameters: 1 },
    summary: 'Set the webhook URL (admins only); the first time, the signing secret is answered once',
    requestBody: { consumes: ['application/json'], fields: webhookUrlFields },
    responses: { 200: { description: 'Saved', json: Type.Object({ webhook_url: Type.String(), webhook_secret: Nullable(Type.String()) }) } },
    errors: ['INVALID_URL'],
    async handler({ client, params, signIn }) {
      const v = validateFields(webhookUrlFields, params);
      const { newSecret } = await setWebhookAsUser(deps, client, signIn.user, v.webhook_url);
      return { body: { webhook_url: v.webhook_url, webhook_secret: newSecret } };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/settings/webhook/rotate-secret',
    auth: 'console-admin',
    startsWork: true,
    summary: 'A new webhook signing secret, answered once; the previous one keeps signing for 24 hours (admins only)',
    responses: { 200: { description: 'The new secret', json: WebhookSecretRotated } },
    async handler({ client, signIn }) {
      const { secret, previousValidUntil } = await rotateWebhookSecretAsUser(deps, client, signIn.user);
      return { body: renderSecretRotated(secret, previousValidUntil) };
    },
  });

  router.route({
    method: 'POST',
    url: '/console/api/settings/api-keys/rotate',
    auth: 'console-admin',
    startsWork: false,
    summary: 'A new api_key and server_hash, answered once; the old ones stop working at once (admins only)',
    responses: { 200: { description: 'The client with its new credentials', json: ClientWire } },
    async handler({ client, signIn }) {
      const { client: rotated, credentials } = await rotateApiKeysAsUser(deps, client, signIn.user);
      return { body: renderClient(rotated, credentials) };
    },
  });
}
