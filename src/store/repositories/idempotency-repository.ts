import type { Queryable } from '../../ports/db.ts';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/** Keys older than this are forgotten and may be used again. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;

export function idempotencyRepository(db: Queryable) {
  return {
    /**
     * Records the response for (client, scope, key) unless a live record exists. Returns null when
     * this call's record was written, or the earlier record. A concurrent writer of the same key
     * waits on the primary key until the first commits, then sees its record.
     */
    async claim(clientId: string, scope: string, key: string, response: StoredResponse): Promise<StoredResponse | null> {
      const inserted = await db.query(
        `insert into idempotency_keys (client_id, scope, key, request_hash, response_status, response_body)
         values ($1, $2, $3, $4, $5, $6::jsonb)
         on conflict (client_id, scope, key) do update
           set request_hash = excluded.request_hash, response_status = excluded.response_status,
               response_body = excluded.response_body, created_at = now()
           where idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})
         returning 1`,
        [clientId, scope, key, response.requestHash, response.status, JSON.stringify(response.body)],
      );
      if (inserted.length > 0) return null;
      const rows = await db.query<{ request_hash: string; response_status: number; response_body: unknown }>(
        'select request_hash, response_status, response_body from idempotency_keys where client_id = $1 and scope = $2 and key = $3',
        [clientId, scope, key],
      );
      const row = rows[0]!;
      return { requestHash: row.request_hash, status: row.response_status, body: row.response_body };
    },
  };
}
