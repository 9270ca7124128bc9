/**
 * The processing job: decides each account's outcome from its statements, marks the session
 * processed, and records ENRICHMENT_NOTIFICATION with it. Idempotent, because a job may run
 * again after a crash. Today the statements were already parsed at upload, so this is quick;
 * enrichment will join it here.
 */
import type { Db } from '../ports/db.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { recordSessionEvent } from '../webhooks/webhook-outbox.ts';
import type { Deps } from './deps.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';

export async function processSession(deps: Pick<Deps, 'banks' | 'now' | 'webhooks'> & { db: Db }, sessionId: string): Promise<void> {
  const recorded = await deps.db.transaction(async (tx) => {
    const locked = await sessionsRepository(tx).lockForProcessing(sessionId);
    if (!locked || locked.processed) return false;
    const session = (await sessionsRepository(tx).findForClient(locked.clientId, sessionId))!;
    for (const account of await accountsRepository(tx).summaries(session)) {
      const broken = account.statements.find((s) => s.reconciled === false);
      const [status, code, message]: ['completed' | 'failed', string | null, string | null] = broken
        ? [
            'failed',
            'BALANCE_MISMATCH',
            `Calculated transaction balance does not match (statement ${broken.statementId}, first at row ${(broken.firstBreak?.index ?? 0) + 1} on page ${broken.firstBreak?.page ?? '?'}, dated ${broken.firstBreak?.date ?? '?'})`,
          ]
        : account.identity.accountNumber === null
          ? ['failed', 'NULL_ACCOUNT_NUMBER', 'Account number is unavailable or unidentified']
          : ['completed', null, null];
      await accountsRepository(tx).setProcessingOutcome(account.accountId, status, code, message);
    }
    await sessionsRepository(tx).markProcessed(sessionId);
    // A deleted session is processed (nothing is left to process) but nobody is told about it.
    if (!session.deletedAt) await recordSessionEvent(tx, deps, 'ENRICHMENT_NOTIFICATION', session);
    return !session.deletedAt;
  });
  if (recorded) deps.webhooks?.wake();
}
