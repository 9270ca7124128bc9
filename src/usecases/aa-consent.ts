/**
 * The journey's side of Account Aggregator mode: the user gives (or confirms) their mobile
 * number, Passbook raises a consent request at the AA and sends the user there to approve it;
 * the journey then waits on `aaJourneyStatus` while notifications (or polling) bring the data.
 * What the consent asks for follows the session (docs/aa.md, "The consent Passbook asks for").
 */
import { randomUUID } from 'node:crypto';
import type { AaConsent, AaFiRequest } from '../domain/aa-consent.ts';
import { consentOfTemplate, type Session } from '../domain/session.ts';
import { AppError } from '../errors/codes.ts';
import { addDays, startOfDay, type CalendarDate } from '../lib/calendar-date.ts';
import { aaRepository } from '../store/repositories/aa-repository.ts';
import { jobsRepository } from '../store/repositories/jobs-repository.ts';
import { consentDetail } from '../aa/aa-messages.ts';
import { aaRequestFailed, type AaDeps } from './aa-deps.ts';
import { normaliseMobileNumber } from './create-session.ts';
import type { Deps } from './deps.ts';
import { journeyState, viewJourney } from './journey.ts';
import { sessionJourneyUrl } from './journey-token.ts';

export const AA_CONSENT_JOB = 'aa-consent';

/** How long a one-time consent stays valid: long enough to approve and fetch, no longer. */
const ONETIME_CONSENT_DAYS = 2;
/** ReBIT requires a frequency of every consent; a one-time consent is fetched once. */
const ONETIME_FREQUENCY = { unit: 'DAY', value: 1 } as const;
/** Without a notification, the consent's status is asked for after this long (then backing off). */
export const CONSENT_POLL_DELAY_MS = 30_000;

type ConsentDeps = Pick<Deps, 'db' | 'now' | 'jobs' | 'config'> & { aa: AaDeps | null };

export interface StartedConsent {
  consentHandle: string;
  /** Where to send the user to approve; null when they approve in their AA's own app. */
  consentUrl: string | null;
}

interface ConsentTerms {
  fetchType: 'ONETIME' | 'PERIODIC';
  fromDate: CalendarDate;
  toDate: CalendarDate;
  consentExpiry: Date;
  frequency: AaConsent['frequency'];
}

/**
 * What the consent covers: the session's months, and for recurring journeys the tenure ahead.
 * A v2 session says it with its stored consents (create-session.ts aaSettingsV2): the one ReBIT
 * consent Passbook raises spans its one-time and periodic consents; a collections consent is
 * never raised.
 */
export function consentTerms(session: Session, now: Date, timeZone: string): ConsentTerms {
  const aa = session.aa;
  if (aa?.consents) {
    const once = consentOfTemplate(aa, 'CT001');
    const periodic = consentOfTemplate(aa, 'CT003');
    // A consent lasts to the end of its consent_expiry day.
    const endOf = (date: CalendarDate) => startOfDay(addDays(date, 1), timeZone);
    if (periodic && aa.recurringFrequencyUnit && aa.recurringFrequencyValue) {
      return {
        fetchType: 'PERIODIC',
        fromDate: once && once.fromDate < periodic.fromDate ? once.fromDate : periodic.fromDate,
        toDate: once && once.toDate > periodic.toDate ? once.toDate : periodic.toDate,
        consentExpiry: endOf(periodic.consentExpiry),
        frequency: { unit: aa.recurringFrequencyUnit.toUpperCase() as 'DAY', value: aa.recurringFrequencyValue },
      };
    }
    if (once) return { fetchType: 'ONETIME', fromDate: once.fromDate, toDate: once.toDate, consentExpiry: endOf(once.consentExpiry), frequency: null };
  }
  if (aa && aa.journeyMode !== 'only_once' && aa.recurringTenureMonth && aa.recurringFrequencyUnit && aa.recurringFrequencyValue) {
    const expiry = new Date(now);
    expiry.setUTCMonth(expiry.getUTCMonth() + aa.recurringTenureMonth);
    // Data up to the end of the tenure, so that each later fetch is inside the consent's range.
    const to = expiry.toISOString().slice(0, 10) as CalendarDate;
    return {
      fetchType: 'PERIODIC',
      fromDate: session.fromDate,
      toDate: to,
      consentExpiry: expiry,
      frequency: { unit: aa.recurringFrequencyUnit.toUpperCase() as 'DAY', value: aa.recurringFrequencyValue },
    };
  }
  const expiry = new Date(now.getTime() + ONETIME_CONSENT_DAYS * 86_400_000);
  return { fetchType: 'ONETIME', fromDate: session.fromDate, toDate: session.toDate, consentExpiry: expiry, frequency: null };
}

/** The user asked to share through their AA: raise the consent and say where to approve it. */
export async function startAaConsent(deps: ConsentDeps, sessionId: string, input: { mobileNumber: string | null }): Promise<StartedConsent> {
  const aa = deps.aa;
  if (!aa) throw new AppError('MODE_NOT_ENABLED', 'Account Aggregator mode is not configured on this server.');
  const view = await viewJourney(deps, sessionId);
  const state = journeyState(view.session);
  if (state === 'deleted') throw new AppError('SESSION_DELETED');
  if (state !== 'open') throw new AppError('SESSION_EXPIRED');
  if (!view.modes.includes('aa')) throw new AppError('MODE_NOT_ENABLED');
  const session = view.session;

  // The number the lender gave, unless the lender lets the user change it.
  let mobile = session.mobileNumber;
  if (input.mobileNumber !== null && (session.isMobileFieldEditable || mobile === null)) {
    mobile = normaliseMobileNumber(input.mobileNumber);
    if (!mobile) throw new AppError('INVALID_MOBILE_NUMBER');
  }
  if (!mobile) throw new AppError('INVALID_MOBILE_NUMBER', 'A mobile number is required to use an Account Aggregator.');

  const now = deps.now();
  const terms = consentTerms(session, now, deps.config.timeZone);
  let created: { consentHandle: string; customerId: string };
  try {
    created = await aa.client.createConsent(
      consentDetail({
        range: { from: terms.fromDate, to: terms.toDate },
        fetchType: terms.fetchType,
        consentStart: now,
        consentExpiry: terms.consentExpiry,
        frequency: terms.frequency ?? ONETIME_FREQUENCY,
        mobile,
        aaHandle: aa.handle,
        fiuId: aa.fiuId,
      }),
    );
  } catch (error) {
    throw aaRequestFailed(error);
  }
  const consentRequestId = randomUUID();
  await deps.db.transaction(async (tx) => {
    await aaRepository(tx).insertConsent({ consentRequestId, sessionId: session.sessionId, consentHandle: created.consentHandle, ...terms }, now);
    // In case no notification ever comes: ask the AA after a while (docs/aa.md, "Notifications and polling").
    await jobsRepository(tx).enqueueAfter(AA_CONSENT_JOB, { consentRequestId }, CONSENT_POLL_DELAY_MS);
  });
  // Back to the journey by the link the user came in with (a v2 session's carries its token).
  const back = `${await sessionJourneyUrl(deps.db, deps.config.publicUrl, session)}&aa=return`;
  return { consentHandle: created.consentHandle, consentUrl: aa.consentUrl({ consentHandle: created.consentHandle, redirectUrl: back, customerId: created.customerId }) };
}

/** Where the session's AA journey stands, for the waiting screen (docs/aa.md, "States"). */
export interface AaJourneyStatus {
  /** none: no consent asked yet; pending: waiting for the user at the AA; fetching: approved, data on its way; done; failed. */
  state: 'none' | 'pending' | 'fetching' | 'done' | 'failed';
  consentStatus: AaConsent['status'] | null;
  fiStatus: AaFiRequest['status'] | null;
  /** Why it failed, as a code the journey explains (CONSENT_REJECTED, NO_TRANSACTIONS_FROM_AA, …). */
  reason: string | null;
}

export async function aaJourneyStatus(deps: Pick<Deps, 'db' | 'now'>, sessionId: string): Promise<AaJourneyStatus> {
  const { session } = await viewJourney(deps, sessionId);
  const repo = aaRepository(deps.db);
  const consent = (await repo.consentsOfSession(session.sessionId))[0];
  if (!consent) return { state: 'none', consentStatus: null, fiStatus: null, reason: null };
  // The latest consent's own fetch: an earlier consent's failed fetch says nothing of a retry.
  const fi = (await repo.fiRequestsOfSession(sessionId)).find((r) => r.consentRequestId === consent.consentRequestId) ?? null;
  return { ...aaOutcome(consent, fi, session.aa?.journeyMode === 'only_recurring'), consentStatus: consent.status, fiStatus: fi?.status ?? null };
}

/** The journey's reading of a consent and its latest fetch. */
export function aaOutcome(consent: AaConsent, fi: AaFiRequest | null, consentOnly: boolean): { state: AaJourneyStatus['state']; reason: string | null } {
  if (consent.status === 'PENDING') return { state: 'pending', reason: null };
  if (consent.status !== 'ACTIVE' && !fi) return { state: 'failed', reason: consentFailureCode(consent) };
  // A recurring-only journey asks for no data now: the verified consent is the end of it.
  if (!fi) return { state: consentOnly && consent.accounts ? 'done' : 'fetching', reason: null };
  if (fi.status === 'REQUESTED') return { state: 'fetching', reason: null };
  if (fi.status === 'DELIVERED' || fi.status === 'PARTIAL') return { state: 'done', reason: fi.errorCode };
  return { state: 'failed', reason: fi.errorCode ?? `AA_FI_${fi.status}` };
}

export function consentFailureCode(consent: AaConsent): string {
  return consent.errorCode ?? `CONSENT_${consent.status}`;
}
