/**
 * Removing statements that were never completely stored: an upload that failed after its
 * statement row was written (a duplicate that lost the race, a store or blob error), or one
 * left behind by a crash or `kill -9` part-way through storing (docs/architecture.md,
 * "Storing a statement"). Such a statement is invisible to every reader; this takes away its
 * PDF, its transactions, its row and an account created for it alone.
 */
import type { Deps } from './deps.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';

/**
 * How old an unfinished statement must be before the sweeper removes it. Storing even a
 * 500-page statement takes about a second, so one this old was left by a process that died;
 * the margin matters on PostgreSQL, where other processes may be storing right now. (A
 * statement swept too early only fails its own upload: it can no longer become visible.)
 */
export const UNFINISHED_STATEMENT_GRACE_SECONDS = 10 * 60;

/**
 * Discards one unfinished statement. The claim comes first, so the statement can never be
 * made visible afterwards; then the PDF, the transactions (in short chunks, like they were
 * written) and last the row, so that a crash part-way leaves a row for the sweeper to finish.
 * Returns false when there was nothing to discard (stored, or already gone).
 */
export async function discardStatement(deps: Pick<Deps, 'db' | 'blobs'>, statementId: string): Promise<boolean> {
  const repo = statementsRepository(deps.db);
  const claimed = await repo.claimForDiscard(statementId);
  if (!claimed) return false;
  await deps.blobs.delete(claimed.blobKey);
  await repo.deleteTransactions(statementId);
  await deps.db.transaction(async (tx) => {
    // Excludes an upload that is about to put a statement on the same account meanwhile.
    await sessionsRepository(tx).lockForStatements(claimed.sessionId, 'no key update');
    await statementsRepository(tx).deleteDiscarded(statementId);
  });
  return true;
}

/**
 * The sweeper: discards every unfinished statement created at least `olderThanSeconds` ago
 * (by the store's clock). Run at start-up (on PGlite with 0, since no other process can be
 * storing into its data directory) and periodically by the job worker.
 */
export async function sweepUnfinishedStatements(deps: Pick<Deps, 'db' | 'blobs'>, olderThanSeconds: number): Promise<number> {
  const repo = statementsRepository(deps.db);
  let discarded = 0;
  const seen = new Set<string>();
  for (;;) {
    const batch = (await repo.unfinished(olderThanSeconds)).filter((id) => !seen.has(id));
    if (batch.length === 0) return discarded;
    for (const statementId of batch) {
      seen.add(statementId);
      if (await discardStatement(deps, statementId)) discarded++;
    }
  }
}
