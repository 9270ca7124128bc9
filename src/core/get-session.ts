import { AppError } from '../errors/codes.ts';
import type { Client } from '../domain/client.ts';
import { statusAt, type Session } from '../domain/session.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import type { Deps } from './deps.ts';

/** A session of this client, with its status as of now. Other clients' sessions do not exist. */
export async function getSession(deps: Pick<Deps, 'db' | 'now'>, client: Client, sessionId: string): Promise<Session> {
  const session = await sessionsRepository(deps.db).findForClient(client.clientId, sessionId);
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  return { ...session, status: statusAt(session, deps.now()) };
}
