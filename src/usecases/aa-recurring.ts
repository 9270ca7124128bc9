/**
 * Recurring pulls on a PERIODIC consent (bankconnect-api.md §2.13): the lender lists a session's
 * recurring consents, then asks for a period's data; each pull makes a new session holding that
 * period's data, processed as soon as it arrives and announced by the usual webhooks.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '../domain/client.ts';
import type { Session } from '../domain/session.ts';
import { AppError } from '../errors/codes.ts';
import { parseDayMonthYear, type CalendarDate } from '../lib/calendar-date.ts';
import { isUuid } from '../lib/ids.ts';
import { aaRepository } from '../store/repositories/aa-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { requestData, type AaJobDeps } from './aa-data-fetch.ts';
import { aaRequestFailed } from './aa-deps.ts';
import { requiredMonths } from './create-session.ts';
import type { Deps } from './deps.ts';

export interface RecurringConsentDetail {
  consentId: string;
  bankName: string | null;
  maskedAccountNumber: string | null;
  tenureMonthCount: number | null;
  frequencyUnit: string | null;
  frequencyValue: number | null;
}

/** The frequency's window: a consent allows `value` fetches in any window of one `unit`. */
const UNIT_MS = { HOUR: 3_600_000, DAY: 86_400_000, MONTH: 30 * 86_400_000, YEAR: 365 * 86_400_000 } as const;

async function clientSession(deps: Pick<Deps, 'db'>, client: Client, sessionId: string): Promise<Session> {
  const session = isUuid(sessionId) ? await sessionsRepository(deps.db).findForClient(client.clientId, sessionId) : null;
  if (!session || session.deletedAt) throw new AppError('INVALID_SESSION_ID');
  return session;
}

/** Each account of each recurring consent the user gave in the session, newest consent first. */
export async function recurringConsentDetails(deps: Pick<Deps, 'db'>, client: Client, sessionId: string): Promise<RecurringConsentDetail[]> {
  const session = await clientSession(deps, client, sessionId);
  const consents = (await aaRepository(deps.db).consentsOfSession(session.sessionId)).filter((c) => c.fetchType === 'PERIODIC' && c.consentId !== null && c.accounts);
  return consents.flatMap((c) =>
    c.accounts!.map((a) => ({
      consentId: c.consentId!,
      bankName: session.bankName,
      maskedAccountNumber: a.maskedAccNumber,
      tenureMonthCount: session.aa?.recurringTenureMonth ?? null,
      frequencyUnit: c.frequency?.unit.toLowerCase() ?? null,
      frequencyValue: c.frequency?.value ?? null,
    })),
  );
}

export interface RecurringFetchInput {
  consentId: string;
  /** DD/MM/YYYY, as the lender sends them. */
  from: string;
  to: string;
}

/** A period's data on a recurring consent, into a new session whose id is returned at once. */
export async function fetchRecurringData(deps: AaJobDeps & Pick<Deps, 'config'>, client: Client, input: RecurringFetchInput): Promise<{ sessionId: string }> {
  if (!deps.aa) throw new AppError('MODE_NOT_ENABLED', 'Account Aggregator mode is not configured on this server.');
  const repo = aaRepository(deps.db);
  const consent = await repo.consentById(input.consentId);
  const parent = consent ? await sessionsRepository(deps.db).findForClient(client.clientId, consent.sessionId) : null;
  if (!consent || !parent || parent.deletedAt || consent.fetchType !== 'PERIODIC' || !consent.accounts) throw new AppError('INVALID_CONSENT_ID');
  if (consent.status !== 'ACTIVE') throw new AppError('CONSENT_REVOKED', `The consent is ${consent.status.toLowerCase()}.`);
  const now = deps.now();
  if (now >= consent.consentExpiry) throw new AppError('CONSENT_REVOKED', 'The consent has expired.');

  const from = parseDayMonthYear(input.from);
  const to = parseDayMonthYear(input.to);
  if (!from || !to) throw new AppError('INVALID_DATE_RANGE', '`date_time_range_from` and `date_time_range_to` must be dates as DD/MM/YYYY.');
  if (from > to) throw new AppError('INVALID_DATE_RANGE', '`date_time_range_from` cannot be after `date_time_range_to`.');
  if (from < consent.fromDate || to > consent.toDate) {
    throw new AppError('INVALID_DATE_RANGE', `The consent covers ${consent.fromDate} to ${consent.toDate} only.`);
  }
  if (consent.frequency) {
    const since = new Date(now.getTime() - UNIT_MS[consent.frequency.unit]);
    if ((await repo.fiRequestCountSince(consent.consentRequestId, since)) >= consent.frequency.value) {
      throw new AppError('CONSENT_OVERUSED', `The consent allows ${consent.frequency.value} fetch(es) per ${consent.frequency.unit.toLowerCase()}.`);
    }
  }

  const session = pullSession(parent, from, to, now, deps.config.defaultSessionExpiryMinutes);
  await sessionsRepository(deps.db).insert(session);
  try {
    await requestData(deps, consent, session.sessionId, from, to);
  } catch (error) {
    throw aaRequestFailed(error);
  }
  return { sessionId: session.sessionId };
}

/** The session a recurring pull fills: the parent's lender, user and bank, the pulled period. */
function pullSession(parent: Session, from: CalendarDate, to: CalendarDate, now: Date, expiryMinutes: number): Session {
  return {
    ...parent,
    sessionId: randomUUID(),
    status: 'created',
    fromDate: from,
    toDate: to,
    months: requiredMonths(from, to),
    maxFromDate: null,
    maxToDate: null,
    mode: 'aa',
    redirectUrl: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + expiryMinutes * 60_000),
    processingRequestedAt: null,
    processingCompletedAt: null,
    deletedAt: null,
    userCompletedAt: null,
  };
}
