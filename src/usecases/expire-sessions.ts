/**
 * The sweeper: sessions past their expiry that never reached processing become `expired`.
 * Those whose user never finished also get SESSION_EXPIRY_NOTIFICATION, in the same
 * transaction as the status change.
 */
import type { Db } from '../ports/db.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { recordSessionEvent } from '../webhooks/webhook-outbox.ts';
import type { Deps } from './deps.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';

/** Sessions per transaction: keeps each one short when thousands expire at once. */
const BATCH = 200;

/** `now` is the service's clock (the same one that sets expires_at), not the database's. */
export async function expireSessions(deps: Pick<Deps, 'banks' | 'webhooks'> & { db: Db }, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await deps.db.transaction(async (tx) => {
      const sessions = await sessionsRepository(tx).expireDue(now, BATCH);
      const silent = sessions.filter((s) => !s.completionNotified);
      // Most sessions that expire never got a statement: load accounts only where there are some.
      const withAccounts = await accountsRepository(tx).sessionsWithAccounts(silent.map((s) => s.sessionId));
      for (const session of silent) {
        const accounts = withAccounts.has(session.sessionId) ? undefined : [];
        await recordSessionEvent(tx, { banks: deps.banks, now: () => now }, 'SESSION_EXPIRY_NOTIFICATION', session, accounts);
      }
      return sessions.length;
    });
    total += expired;
    if (expired > 0) deps.webhooks?.wake();
    if (expired < BATCH) return total;
  }
}
