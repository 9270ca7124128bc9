/**
 * A session as the data APIs see it: refused when missing (404) or deleted (410).
 */
import { AppError } from '../errors/codes.ts';
import type { Client } from '../domain/client.ts';
import { statusAt, type Session } from '../domain/session.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import type { Deps } from './deps.ts';

/** Loads a client's session for a data API: 404 if unknown, 410 once deleted. */
export async function sessionForData(deps: Pick<Deps, 'db' | 'now'>, client: Client, sessionId: string): Promise<Session> {
  const session = await sessionsRepository(deps.db).findForClient(client.clientId, sessionId);
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  if (session.deletedAt) throw new AppError('SESSION_DELETED');
  return { ...session, status: statusAt(session, deps.now()) };
}

