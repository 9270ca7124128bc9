/**
 * Finds the client behind an API key and checks its credentials.
 *
 * Lookups are cached in this process for `ttlMs` (CLIENT_CACHE_TTL_MS, default 2 s) because
 * every API call starts with one; changes made through this process clear the cache at once,
 * and other processes see them within the TTL. Set the TTL to 0 to disable it.
 */
import { AppError } from '../errors/codes.ts';
import type { Client } from '../domain/client.ts';
import type { Queryable } from '../ports/db.ts';
import { clientsRepository } from '../store/repositories/clients-repository.ts';
import { hashSecret, secretMatches } from '../lib/secrets.ts';

type ClientWithSecret = Client & { serverHashHash: string };

export class ClientDirectory {
  private readonly cache = new Map<string, { client: ClientWithSecret | null; until: number }>();

  private readonly db: Queryable;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(db: Queryable, ttlMs: number, now: () => number = Date.now) {
    this.db = db;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  forget(): void {
    this.cache.clear();
  }

  private async lookup(apiKey: string): Promise<ClientWithSecret | null> {
    const keyHash = hashSecret(apiKey);
    const hit = this.cache.get(keyHash);
    if (hit && hit.until > this.now()) return hit.client;
    const client = await clientsRepository(this.db).findByApiKeyHash(keyHash);
    if (this.ttlMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(keyHash, { client, until: this.now() + this.ttlMs });
    }
    return client;
  }

  // None of these judge the plan: what an expired plan may do is the route's to say
  // (`startsWork` in src/http/route.ts).

  /** Session creation: a known API key (401 otherwise). */
  async byApiKey(apiKey: string | undefined): Promise<Client> {
    const client = apiKey ? await this.lookup(apiKey) : null;
    if (!client) throw new AppError('AUTHENTICATION_CREDENTIALS_NOT_PROVIDED');
    return client;
  }

  /** Upload APIs: a known API key (403 otherwise). */
  async byApiKeyForUpload(apiKey: string | undefined): Promise<Client> {
    const client = apiKey ? await this.lookup(apiKey) : null;
    if (!client) throw new AppError('ACCESS_DENIED');
    return client;
  }

  /** Data APIs: API key and server hash, both right. */
  async byApiKeyAndServerHash(apiKey: string | undefined, serverHash: string | undefined): Promise<Client> {
    const client = apiKey ? await this.lookup(apiKey) : null;
    if (!client || !serverHash || !secretMatches(serverHash, client.serverHashHash)) throw new AppError('ACCESS_DENIED');
    return client;
  }
}
