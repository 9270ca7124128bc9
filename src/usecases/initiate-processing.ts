/**
 * `initiate_processing`: the lender says uploads are done. The session takes no more uploads,
 * and a durable job (written in the same transaction) processes it. If the session's
 * completion was not announced yet, it is now (SESSION_REQUIREMENT_COMPLETION_NOTIFICATION).
 */
import type { Client } from '../domain/client.ts';
import { AppError } from '../errors/codes.ts';
import { jobsRepository } from '../store/repositories/jobs-repository.ts';
import { recordCompletionOnce } from '../webhooks/webhook-outbox.ts';
import type { Deps } from './deps.ts';
import { sessionForData } from './session-for-data.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';

export const PROCESS_SESSION_JOB = 'process-session';

export async function initiateProcessing(deps: Pick<Deps, 'db' | 'now' | 'banks' | 'webhooks'>, client: Client, sessionId: string): Promise<void> {
  const session = await sessionForData(deps, client, sessionId);
  await deps.db.transaction(async (tx) => {
    // The conditional update is the guard: of two concurrent requests only one sets it.
    if (!(await sessionsRepository(tx).claimProcessingRequest(session.sessionId, deps.now()))) throw new AppError('DUPLICATE_PROCESSING_REQUEST');
    if (!(await statementsRepository(tx).anyStored(session.sessionId))) throw new AppError('UNPARSABLE_STATEMENTS');
    await jobsRepository(tx).enqueue(PROCESS_SESSION_JOB, { sessionId: session.sessionId });
    // Processing asked for means the user is done, if nothing said so before.
    await recordCompletionOnce(tx, deps, session);
  });
  deps.webhooks?.wake();
}
