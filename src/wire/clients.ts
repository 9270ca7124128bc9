/** Wire shapes of clients, shared by the admin API and the CLI. */
import { MODES, PLAN_STATUSES, type Client, type ClientChanges, type ClientCredentials, type Mode, type PlanStatus } from '../domain/client.ts';
import { AppError, fieldError } from '../errors/codes.ts';
import { safeOrigin } from '../lib/web-origin.ts';
import { Type, type Static } from 'typebox';
import type { Fields } from './fields.ts';
import { IsoDateTime, OneOf, Uuid } from './wire-formats.ts';

const clientChangeFields = {
  enabled_modes: { type: 'list', of: MODES, maxItems: 3, maxItemLength: 10, description: 'Modes this client may use: pdf, aa, online. Default: all three.' },
  plan_status: { type: 'choice', choices: PLAN_STATUSES, description: 'active, or expired: the client may then read and delete what it has but start nothing new (402; docs/session-api.md, "Plans").' },
  allowed_redirect_hosts: {
    type: 'list',
    of: 'string',
    maxItems: 100,
    maxItemLength: 253,
    description: 'Hosts a redirect_url may point at (exact, or *.example.com for sub-domains). Empty: any host.',
  },
  frame_origins: {
    type: 'list',
    of: 'string',
    maxItems: 20,
    maxItemLength: 253,
    description: 'Origins (https://app.example.com) the journey may send iframe events to, besides the redirect_url origin. "*" sends them to any parent; use it only on purpose.',
  },
} as const satisfies Fields;

export const createClientFields = {
  name: { type: 'string', required: true, maxLength: 200, description: 'Display name of the lender.' },
  ...clientChangeFields,
} as const satisfies Fields;

export const updateClientFields = clientChangeFields;

export const MAX_CLIENT_PARAMETERS = 10;

const HOST = /^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Entries must be host names (optionally `*.`-prefixed), not URLs. */
function checkHosts(hosts: string[] | undefined): void {
  for (const host of hosts ?? []) {
    if (!HOST.test(host)) throw fieldError('allowed_redirect_hosts', `"${host}" is not a valid host name.`);
  }
}

/** Entries must be exact origins (scheme, host, optional port) or '*'. */
function checkOrigins(origins: string[] | undefined): void {
  for (const origin of origins ?? []) {
    if (origin === '*') continue;
    let ok: boolean;
    try {
      const url = new URL(origin);
      // safeOrigin: the host must be a plain host name, so the entry is a usable targetOrigin.
      ok = safeOrigin(url) === origin;
    } catch {
      ok = false;
    }
    if (!ok) throw fieldError('frame_origins', `"${origin}" is not an origin such as https://app.example.com.`);
  }
}

export function requireSomeChange(values: Record<string, unknown>): void {
  if (Object.values(values).every((v) => v === undefined)) {
    throw new AppError('INVALID_REQUEST', 'Give at least one of enabled_modes, plan_status, allowed_redirect_hosts, frame_origins.');
  }
}

/**
 * Validated values of a create or an update (an update has no name). An interface, not the
 * FieldValues<> alias, because the CLI still passes it on as a plain record with a cast.
 */
export interface ClientFieldValues {
  name?: string;
  enabled_modes?: Mode[];
  plan_status?: PlanStatus;
  allowed_redirect_hosts?: string[];
  frame_origins?: string[];
}

/** Validated wire values → the use cases' change set (absent fields stay absent). */
export function toClientChanges(v: ClientFieldValues): ClientChanges {
  checkHosts(v.allowed_redirect_hosts);
  checkOrigins(v.frame_origins);
  return {
    ...(v.enabled_modes ? { enabledModes: v.enabled_modes } : {}),
    ...(v.plan_status ? { planStatus: v.plan_status } : {}),
    ...(v.allowed_redirect_hosts ? { allowedRedirectHosts: v.allowed_redirect_hosts } : {}),
    ...(v.frame_origins ? { frameOrigins: v.frame_origins } : {}),
  };
}

export const ClientWire = Type.Object({
  client_id: Uuid,
  name: Type.String(),
  api_key: Type.Optional(Type.String({ description: 'Only in the answers of create and rotate-keys.' })),
  server_hash: Type.Optional(Type.String({ description: 'Only in the answers of create and rotate-keys.' })),
  enabled_modes: Type.Array(OneOf(MODES)),
  plan_status: OneOf(PLAN_STATUSES),
  allowed_redirect_hosts: Type.Array(Type.String()),
  frame_origins: Type.Array(Type.String()),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type ClientWire = Static<typeof ClientWire>;

export const ClientList = Type.Object({ count: Type.Integer(), clients: Type.Array(ClientWire) });

export function renderClient(client: Client, credentials?: ClientCredentials): ClientWire {
  return {
    client_id: client.clientId,
    name: client.name,
    ...(credentials ? { api_key: credentials.apiKey, server_hash: credentials.serverHash } : {}),
    enabled_modes: client.enabledModes,
    plan_status: client.planStatus,
    allowed_redirect_hosts: client.allowedRedirectHosts,
    frame_origins: client.frameOrigins,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}
