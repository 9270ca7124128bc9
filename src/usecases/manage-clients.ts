/** Operator use cases for clients (tenants): used by the admin API and the CLI alike. */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/codes.ts';
import { MODES, type Client, type ClientCredentials, type Mode, type PlanStatus } from '../domain/client.ts';
import { isUuid } from '../lib/ids.ts';
import { hashSecret, newApiKey, newServerHash } from '../lib/secrets.ts';
import type { Queryable } from '../ports/db.ts';
import { clientsRepository, type ClientChanges } from '../store/repositories/clients-repository.ts';
import type { ClientDirectory } from './client-directory.ts';

export type { ClientCredentials };

interface ManageDeps {
  db: Queryable;
  clients?: ClientDirectory;
}

function newCredentials(): ClientCredentials & { hashes: { apiKeyHash: string; serverHashHash: string } } {
  const apiKey = newApiKey();
  const serverHash = newServerHash();
  return { apiKey, serverHash, hashes: { apiKeyHash: hashSecret(apiKey), serverHashHash: hashSecret(serverHash) } };
}

export interface NewClient {
  name: string;
  enabledModes?: Mode[];
  planStatus?: PlanStatus;
  allowedRedirectHosts?: string[];
  frameOrigins?: string[];
}

export async function createClient(deps: ManageDeps, input: NewClient): Promise<{ client: Client; credentials: ClientCredentials }> {
  const credentials = newCredentials();
  const client = await clientsRepository(deps.db).insert(
    {
      clientId: randomUUID(),
      name: input.name,
      enabledModes: dedupe(input.enabledModes ?? [...MODES]),
      planStatus: input.planStatus ?? 'active',
      allowedRedirectHosts: dedupe((input.allowedRedirectHosts ?? []).map((h) => h.toLowerCase())),
      frameOrigins: dedupe(input.frameOrigins ?? []),
    },
    credentials.hashes,
  );
  return { client, credentials: { apiKey: credentials.apiKey, serverHash: credentials.serverHash } };
}

export async function listClients(deps: ManageDeps): Promise<Client[]> {
  return clientsRepository(deps.db).list();
}

export async function getClient(deps: ManageDeps, clientId: string): Promise<Client> {
  const client = isUuid(clientId) ? await clientsRepository(deps.db).findById(clientId) : null;
  if (!client) throw new AppError('CLIENT_NOT_FOUND');
  return client;
}

export async function updateClient(deps: ManageDeps, clientId: string, changes: ClientChanges): Promise<Client> {
  const client = isUuid(clientId)
    ? await clientsRepository(deps.db).update(clientId, {
        ...(changes.enabledModes ? { enabledModes: dedupe(changes.enabledModes) } : {}),
        ...(changes.planStatus ? { planStatus: changes.planStatus } : {}),
        ...(changes.allowedRedirectHosts
          ? { allowedRedirectHosts: dedupe(changes.allowedRedirectHosts.map((h) => h.toLowerCase())) }
          : {}),
        ...(changes.frameOrigins ? { frameOrigins: dedupe(changes.frameOrigins) } : {}),
      })
    : null;
  if (!client) throw new AppError('CLIENT_NOT_FOUND');
  deps.clients?.forget();
  return client;
}

/** New API key and server hash; the old ones stop working at once. */
export async function rotateClientKeys(deps: ManageDeps, clientId: string): Promise<{ client: Client; credentials: ClientCredentials }> {
  const credentials = newCredentials();
  const client = isUuid(clientId) ? await clientsRepository(deps.db).replaceCredentials(clientId, credentials.hashes) : null;
  if (!client) throw new AppError('CLIENT_NOT_FOUND');
  deps.clients?.forget();
  return { client, credentials: { apiKey: credentials.apiKey, serverHash: credentials.serverHash } };
}

function dedupe<T>(items: T[]): T[] {
  return [...new Set(items)];
}
