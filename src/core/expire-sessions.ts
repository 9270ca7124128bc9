/** The sweeper: sessions past their expiry that never reached processing become `expired`. */
import type { Queryable } from '../store/db.ts';

/** `now` is the service's clock (the same one that sets expires_at), not the database's. */
export async function expireSessions(db: Queryable, now: Date): Promise<number> {
  const rows = await db.query(
    `update sessions set status = 'expired'
     where status = 'created' and expires_at <= $1 and processing_requested_at is null and deleted_at is null
     returning 1`,
    [now],
  );
  return rows.length;
}
