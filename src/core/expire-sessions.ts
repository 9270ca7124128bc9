/**
 * The sweeper: sessions past their expiry that never reached processing become `expired`.
 * Those whose user never finished also get SESSION_EXPIRY_NOTIFICATION, in the same
 * transaction as the status change.
 */
import type { Db } from '../store/db.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { recordSessionEvent } from '../webhooks/webhook-outbox.ts';
import type { Deps } from './deps.ts';

/** Sessions per transaction: keeps each one short when thousands expire at once. */
const BATCH = 200;

/** `now` is the service's clock (the same one that sets expires_at), not the database's. */
export async function expireSessions(deps: Pick<Deps, 'banks' | 'webhooks'> & { db: Db }, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await deps.db.transaction(async (tx) => {
      const rows = await tx.query<{ session_id: string; client_id: string; notify: boolean }>(
        `update sessions set status = 'expired'
         where session_id in (
           select session_id from sessions
           where status = 'created' and expires_at <= $1 and processing_requested_at is null and deleted_at is null
           limit $2 for update skip locked)
         returning session_id, client_id, completion_notified_at is null as notify`,
        [now, BATCH],
      );
      for (const row of rows.filter((r) => r.notify)) {
        const session = (await sessionsRepository(tx).findForClient(row.client_id, row.session_id))!;
        await recordSessionEvent(tx, { banks: deps.banks, now: () => now }, 'SESSION_EXPIRY_NOTIFICATION', session);
      }
      return rows.length;
    });
    total += expired;
    if (expired > 0) deps.webhooks?.wake();
    if (expired < BATCH) return total;
  }
}
