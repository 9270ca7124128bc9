/** What the console shows of a client's sessions: the filtered list, and one session in full. */
import type { Client } from '../domain/client.ts';
import { parseIsoDate, startOfDay, addDays, type CalendarDate } from '../lib/calendar-date.ts';
import { AppError, fieldError } from '../errors/codes.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { sessionListRepository, type SessionListFilter } from '../store/repositories/session-list-repository.ts';
import type { ConsoleSession, ConsoleSessionStatus, SessionListRow, SessionSort, TimelineEntry } from '../domain/console-session.ts';
import { sessionEventsRepository } from '../store/repositories/session-events-repository.ts';
import { aaRepository } from '../store/repositories/aa-repository.ts';
import { webhooksRepository } from '../store/repositories/webhooks-repository.ts';
import { sessionJourneyUrl } from './journey-token.ts';
import { statusAt } from '../domain/session.ts';
import type { AccountSummary } from '../domain/account.ts';
import { readSessionAccounts } from './read-session-data.ts';
import { linkSigningKey, signedReportUrl } from './statement-files.ts';
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
  return { session, status, accounts, journeyUrl: await sessionJourneyUrl(deps.db, deps.config.publicUrl, session) };
}

/**
 * A session's timeline, oldest first: created, the journey's first opening, every statement
 * stored and every upload refused (with its reason), Account Aggregator consents, the user's
 * submission, processing, every webhook with its last attempt, expiry and deletion.
 */
export async function consoleSessionTimeline(deps: Pick<Deps, 'db' | 'now'>, client: Client, sessionId: string): Promise<TimelineEntry[]> {
  const session = await sessionsRepository(deps.db).findForClient(client.clientId, sessionId);
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  const [events, accounts, consents, webhooks] = await Promise.all([
    sessionEventsRepository(deps.db).forSession(sessionId),
    session.deletedAt ? [] : accountsRepository(deps.db).summaries(session),
    aaRepository(deps.db).consentsOfSession(sessionId),
    webhooksRepository(deps.db).listForSession(sessionId),
  ]);
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const entries: TimelineEntry[] = [{ kind: 'created', at: session.createdAt }];
  for (const e of events) {
    if (e.kind === 'journey_opened') entries.push({ kind: 'journey_opened', at: e.at });
    else
      entries.push({
        kind: 'upload_refused',
        at: e.at,
        code: text(e.details.code) ?? 'UNKNOWN',
        message: text(e.details.message) ?? '',
        channel: text(e.details.channel) ?? 'api',
        source: text(e.details.source),
        fileName: text(e.details.file_name),
        detectedBank: text(e.details.detected_bank),
      });
  }
  for (const a of accounts) {
    for (const s of a.statements) {
      entries.push({ kind: 'statement_stored', at: s.storedAt, statementId: s.statementId, bankName: a.bankName, fileName: s.uploadFileName, source: s.source, pageCount: s.pageCount, fraudFindings: s.fraudFindings.length });
    }
  }
  for (const c of consents) entries.push({ kind: 'aa_consent_requested', at: c.createdAt, fetchType: c.fetchType, status: c.status });
  if (session.userCompletedAt) entries.push({ kind: 'user_submitted', at: session.userCompletedAt });
  if (session.processingRequestedAt) entries.push({ kind: 'processing_requested', at: session.processingRequestedAt });
  if (session.processingCompletedAt) {
    const processed = accounts.map((a) => ({ bankName: a.bankName, status: a.processingStatus, errorCode: a.errorCode }));
    entries.push({ kind: 'processing_completed', at: session.processingCompletedAt, accounts: processed });
  }
  for (const w of webhooks) {
    const last = w.log.at(-1);
    entries.push({ kind: 'webhook', at: w.createdAt, eventId: w.eventId, eventName: w.eventName, status: w.status, attempts: w.log.length, lastStatusCode: last?.statusCode ?? null, lastError: last?.error ?? null });
  }
  if (!session.deletedAt && statusAt(session, deps.now()) === 'expired') entries.push({ kind: 'expired', at: session.expiresAt });
  if (session.deletedAt) entries.push({ kind: 'deleted', at: session.deletedAt });
  // Stable: entries of one instant keep the order above (created before the journey opened, …).
  return entries.map((entry, i) => ({ entry, i })).sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.i - b.i).map(({ entry }) => entry);
}

/**
 * One-hour signed links to a processed session's Excel reports (the same links as xlsx_report
 * and insights hand out): the session's workbook and each analysed account's. Signing needs no
 * analysis read, so this stays cheap for a session of 20,000 transactions.
 */
export async function consoleReportLinks(
  deps: Pick<Deps, 'db' | 'now' | 'config'>,
  client: Client,
  sessionId: string,
): Promise<{ session: string; accounts: { account: AccountSummary; url: string }[] }> {
  const { session, accounts } = await readSessionAccounts(deps, client, sessionId, 'completed');
  const key = await linkSigningKey(deps.db);
  const link = (accountId: string | null) => signedReportUrl(deps.config.publicUrl, key, session.sessionId, accountId, deps.now());
  return { session: link(null), accounts: accounts.filter((a) => a.processingStatus === 'completed').map((account) => ({ account, url: link(account.accountId) })) };
}
