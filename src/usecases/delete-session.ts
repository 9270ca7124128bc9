/**
 * Deletes a session's files and data. The session row stays, stripped of personal data, so
 * that later calls answer 410 SESSION_DELETED instead of 404.
 */
import type { Client } from '../domain/client.ts';
import { webhooksRepository } from '../store/repositories/webhooks-repository.ts';
import type { Deps } from './deps.ts';
import { sessionForData } from './session-for-data.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { analysesRepository } from '../store/repositories/analyses-repository.ts';

export async function deleteSession(deps: Pick<Deps, 'db' | 'now' | 'blobs'>, client: Client, sessionId: string): Promise<void> {
  const session = await sessionForData(deps, client, sessionId);
  await deps.db.transaction(async (tx) => {
    // The session row first, like every writer of a session's statements (no deadlocks); an
    // upload still storing a statement then fails instead of storing into a deleted session.
    await sessionsRepository(tx).markDeleted(session.sessionId, deps.now());
    await accountsRepository(tx).deleteForSession(session.sessionId);
    // Account analyses go with their accounts; the session's aggregate goes here.
    await analysesRepository(tx).deleteForSession(session.sessionId);
    // Payloads hold account details; undelivered events go with them.
    await webhooksRepository(tx).deleteForSession(session.sessionId);
  });
  await deps.blobs.deletePrefix(`sessions/${session.sessionId}`);
}
