import type { Client, ClientCredentialHashes, Mode, PlanStatus, ClientChanges } from '../../domain/client.ts';

export type { ClientChanges };
import type { Queryable } from '../../ports/db.ts';

interface ClientRow extends Record<string, unknown> {
  client_id: string;
  name: string;
  enabled_modes: string[];
  plan_status: string;
  allowed_redirect_hosts: string[];
  frame_origins: string[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'client_id, name, enabled_modes, plan_status, allowed_redirect_hosts, frame_origins, created_at, updated_at';

function toClient(row: ClientRow): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    enabledModes: row.enabled_modes as Mode[],
    planStatus: row.plan_status as PlanStatus,
    allowedRedirectHosts: row.allowed_redirect_hosts,
    frameOrigins: row.frame_origins,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function clientsRepository(db: Queryable) {
  return {
    async insert(client: Omit<Client, 'createdAt' | 'updatedAt'>, hashes: ClientCredentialHashes): Promise<Client> {
      const rows = await db.query<ClientRow>(
        `insert into clients (client_id, name, api_key_hash, server_hash_hash, enabled_modes, plan_status, allowed_redirect_hosts, frame_origins)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
        [
          client.clientId,
          client.name,
          hashes.apiKeyHash,
          hashes.serverHashHash,
          client.enabledModes,
          client.planStatus,
          client.allowedRedirectHosts,
          client.frameOrigins,
        ],
      );
      return toClient(rows[0]!);
    },

    async findByApiKeyHash(apiKeyHash: string): Promise<(Client & { serverHashHash: string }) | null> {
      const rows = await db.query<ClientRow & { server_hash_hash: string }>(
        `select ${COLUMNS}, server_hash_hash from clients where api_key_hash = $1`,
        [apiKeyHash],
      );
      const row = rows[0];
      return row ? { ...toClient(row), serverHashHash: row.server_hash_hash } : null;
    },

    /** SHA-256 of the client's server hash: the key that signs journey redirects. */
    async serverHashHashOf(clientId: string): Promise<string | null> {
      const rows = await db.query<{ server_hash_hash: string }>('select server_hash_hash from clients where client_id = $1', [clientId]);
      return rows[0]?.server_hash_hash ?? null;
    },

    async findById(clientId: string): Promise<Client | null> {
      const rows = await db.query<ClientRow>(`select ${COLUMNS} from clients where client_id = $1`, [clientId]);
      return rows[0] ? toClient(rows[0]) : null;
    },

    async list(): Promise<Client[]> {
      const rows = await db.query<ClientRow>(`select ${COLUMNS} from clients order by created_at, client_id`);
      return rows.map(toClient);
    },

    async update(clientId: string, changes: ClientChanges): Promise<Client | null> {
      const rows = await db.query<ClientRow>(
        `update clients set
           enabled_modes = coalesce($2, enabled_modes),
           plan_status = coalesce($3, plan_status),
           allowed_redirect_hosts = coalesce($4, allowed_redirect_hosts),
           frame_origins = coalesce($5, frame_origins),
           updated_at = now()
         where client_id = $1 returning ${COLUMNS}`,
        [clientId, changes.enabledModes ?? null, changes.planStatus ?? null, changes.allowedRedirectHosts ?? null, changes.frameOrigins ?? null],
      );
      return rows[0] ? toClient(rows[0]) : null;
    },

    async replaceCredentials(clientId: string, hashes: ClientCredentialHashes): Promise<Client | null> {
      const rows = await db.query<ClientRow>(
        `update clients set api_key_hash = $2, server_hash_hash = $3, updated_at = now()
         where client_id = $1 returning ${COLUMNS}`,
        [clientId, hashes.apiKeyHash, hashes.serverHashHash],
      );
      return rows[0] ? toClient(rows[0]) : null;
    },
  };
}
