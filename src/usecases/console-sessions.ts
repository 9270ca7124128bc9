/** What the console shows of a client's sessions: the filtered list, and one session in full. */
import type { Client } from '../domain/client.ts';
import { parseIsoDate, startOfDay, addDays, type CalendarDate } from '../lib/calendar-date.ts';
import { AppError, fieldError } from '../errors/codes.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { sessionListRepository, type SessionListFilter } from '../store/repositories/session-list-repository.ts';
import type { ConsoleSession, ConsoleSessionStatus, SessionListRow, SessionSort } from '../domain/console-session.ts';
import { journeyUrl } from './create-session.ts';
import type { Deps } from './deps.ts';

export interface SessionListQuery {
  query: string | null;
  status: ConsoleSessionStatus | null;
  mode: string | null;
  bank: string | null;
  /** Dates in the server's TIME_ZONE, both included. */
  createdFrom: string | null;
  createdTo: string | null;
  sort: SessionSort;
  page: number;
  pageSize: number;
}

export interface SessionList {
  count: number;
  counts: Record<ConsoleSessionStatus, number>;
  rows: SessionListRow[];
}

function dateParam(name: string, text: string | null): CalendarDate | null {
  if (text === null) return null;
  const date = parseIsoDate(text);
  if (!date) throw fieldError(name, 'Date has wrong format. Use YYYY-MM-DD.');
  return date;
}

export async function listConsoleSessions(deps: Pick<Deps, 'db' | 'now' | 'config'>, client: Client, q: SessionListQuery): Promise<SessionList> {
  const from = dateParam('created_from', q.createdFrom);
  const to = dateParam('created_to', q.createdTo);
  const filter: SessionListFilter = {
    clientId: client.clientId,
    query: q.query,
    status: q.status,
    mode: q.mode,
    bank: q.bank,
    createdFrom: from ? startOfDay(from, deps.config.timeZone) : null,
    createdBefore: to ? startOfDay(addDays(to, 1), deps.config.timeZone) : null,
    now: deps.now(),
  };
  const repo = sessionListRepository(deps.db);
  const counts = await repo.counts(filter);
  const rows = await repo.page(filter, q.sort, (q.page - 1) * q.pageSize, q.pageSize);
  const count = q.status === null ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[q.status];
  return { count, counts, rows };
}

/** One session of the client's, deleted ones included (SESSION_NOT_FOUND for anything else). */
export async function readConsoleSession(deps: Pick<Deps, 'db' | 'now' | 'config'>, client: Client, sessionId: string): Promise<ConsoleSession> {
  const session = await sessionsRepository(deps.db).findForClient(client.clientId, sessionId);
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  const status = (await sessionListRepository(deps.db).statusOf(session.sessionId, deps.now()))!;
  const accounts = session.deletedAt ? [] : await accountsRepository(deps.db).summaries(session);
  return { session, status, accounts, journeyUrl: journeyUrl(deps.config.publicUrl, session.sessionId) };
}
