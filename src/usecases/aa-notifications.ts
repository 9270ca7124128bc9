/**
 * The AA's notifications to Passbook (`POST /aa/Consent/Notification`, `/aa/FI/Notification`).
 * Each is checked (API key, ver, timestamp, schema, notifier, signature: src/aa/aa-notifications.ts),
 * then matched with what Passbook asked for; one that fails is refused in ReBIT's error shape
 * and changes nothing (Sahamati's FIU certification, docs/aa.md "Certification scenarios").
 * A notification only records a state and makes a job run now: the jobs re-ask the AA before
 * acting, so a forged or replayed notification cannot bring in data by itself.
 */
import { aaErrorBody, aaOkBody, checkConsentNotification, checkFiNotification, signResponse, type NotificationHeaders } from '../aa/aa-notifications.ts';
import type { AaErrorCode } from '../aa/aa-messages.ts';
import type { AaConsent, AaFiAccountStatus } from '../domain/aa-consent.ts';
import { aaRepository } from '../store/repositories/aa-repository.ts';
import { jobsRepository } from '../store/repositories/jobs-repository.ts';
import { AA_CONSENT_JOB } from './aa-consent.ts';
import { AA_FETCH_JOB } from './aa-data-fetch.ts';
import type { AaDeps } from './aa-deps.ts';
import type { Deps } from './deps.ts';

/** How long an FI notification may wait for the sessionId of an /FI/request answer in hand (20 × 100 ms). */
const SESSION_ID_WAIT_STEPS = 20;
const SESSION_ID_WAIT_MS = 100;

type NotificationDeps = Pick<Deps, 'db' | 'now' | 'jobs'> & { aa: AaDeps | null };

/** What to answer: the exact bytes (they are signed) and their signature. */
export interface NotificationAnswer {
  status: number;
  text: string;
  signature: string;
}

async function answer(aa: AaDeps, status: number, body: object): Promise<NotificationAnswer> {
  return { status, ...(await signResponse(body, aa.signingKey)) };
}

function refuse(deps: NotificationDeps, aa: AaDeps, txnid: string | null, status: 400 | 401 | 404, errorCode: AaErrorCode, errorMsg: string): Promise<NotificationAnswer> {
  return answer(aa, status, aaErrorBody({ txnid, errorCode, errorMsg, now: deps.now() }));
}

function requireAa(deps: NotificationDeps): AaDeps {
  if (!deps.aa) throw new Error('Account Aggregator mode is not configured on this server');
  return deps.aa;
}

export async function receiveConsentNotification(deps: NotificationDeps, raw: Buffer, headers: NotificationHeaders): Promise<NotificationAnswer> {
  const aa = requireAa(deps);
  const check = await checkConsentNotification(raw, headers, { ...aa.notifications, now: deps.now });
  if (!check.ok) return refuse(deps, aa, check.txnid, check.status, check.errorCode, check.errorMsg);
  const n = check.notification;
  const repo = aaRepository(deps.db);

  let consent: AaConsent | null = null;
  if (n.consentId !== null) {
    consent = await repo.consentById(n.consentId);
    // The first notification of an approval brings the id Passbook has not seen yet.
    if (!consent && n.consentHandle !== null) {
      const byHandle = await repo.consentByHandle(n.consentHandle);
      if (byHandle && byHandle.consentId === null) consent = byHandle;
    }
    if (!consent) return refuse(deps, aa, n.txnid, 400, 'InvalidConsentId', 'No consent with this consentId was asked for by this FIU.');
  } else {
    consent = await repo.consentByHandle(n.consentHandle!);
    if (!consent) return refuse(deps, aa, n.txnid, 400, 'InvalidRequest', 'No consent request with this consentHandle was raised by this FIU.');
  }
  if (n.consentHandle !== null && n.consentHandle !== consent.consentHandle) {
    return refuse(deps, aa, n.txnid, 400, 'InvalidRequest', 'The consentHandle and consentId belong to different consents.');
  }
  // A consent whose AA answers failed their checks is dead to Passbook (scenario 1028).
  if (consent.status === 'FAILED') return refuse(deps, aa, n.txnid, 400, 'InvalidConsentStatus', 'This consent has failed; it takes no notifications.');

  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const txRepo = aaRepository(tx);
    const current = await txRepo.lockConsent(consent.consentRequestId);
    if (!current || current.status === 'FAILED') return;
    switch (n.consentStatus) {
      case 'PENDING':
        return;
      case 'ACTIVE':
        // Recorded as an id only: the consent job fetches and verifies the signed artefact
        // before the consent counts as active (and wakes a paused one the same way).
        await txRepo.updateConsent(current.consentRequestId, { status: current.status === 'PAUSED' ? 'PENDING' : current.status, consentId: n.consentId }, now);
        await jobsRepository(tx).enqueue(AA_CONSENT_JOB, { consentRequestId: current.consentRequestId });
        return;
      default:
        // REJECTED, PAUSED, REVOKED, EXPIRED: no FI request is raised on it from now on.
        await txRepo.updateConsent(current.consentRequestId, { status: n.consentStatus, ...(n.consentId ? { consentId: n.consentId } : {}) }, now);
    }
  });
  deps.jobs?.wake();
  return answer(aa, 200, aaOkBody({ txnid: n.txnid, now: deps.now() }));
}

export async function receiveFiNotification(deps: NotificationDeps, raw: Buffer, headers: NotificationHeaders): Promise<NotificationAnswer> {
  const aa = requireAa(deps);
  const check = await checkFiNotification(raw, headers, { ...aa.notifications, now: deps.now });
  if (!check.ok) return refuse(deps, aa, check.txnid, check.status, check.errorCode, check.errorMsg);
  const n = check.notification;
  const repo = aaRepository(deps.db);
  // Unknown includes a session whose FI/request answer was discarded (scenarios 2004, 2016–2021).
  // An AA whose FIP is ready at once may notify before Passbook has stored the sessionId from
  // its answer to /FI/request: while such an answer is in hand, wait for it briefly.
  let request = await repo.fiRequestByAaSession(n.sessionId);
  for (let i = 0; !request && i < SESSION_ID_WAIT_STEPS && (await repo.anyRequestAwaitingSession()); i++) {
    await new Promise((resolve) => setTimeout(resolve, SESSION_ID_WAIT_MS));
    request = await repo.fiRequestByAaSession(n.sessionId);
  }
  if (!request) return refuse(deps, aa, n.txnid, 400, 'InvalidSessionId', 'No FI request of this FIU has this sessionId.');
  const consent = await repo.consent(request.consentRequestId);
  const known = new Set((consent?.accounts ?? []).map((a) => `${a.fipId}\u0000${a.linkRefNumber}`));
  for (const fip of n.fips) {
    for (const account of fip.accounts) {
      if (!known.has(`${fip.fipId}\u0000${account.linkRefNumber}`)) {
        return refuse(deps, aa, n.txnid, 400, 'InvalidRequest', 'The notification names an account the consent does not cover.');
      }
    }
  }

  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const txRepo = aaRepository(tx);
    const current = await txRepo.lockFiRequest(request.fiRequestId);
    // Late or repeated notifications about a finished request change nothing (they may come out of order).
    if (!current || current.status !== 'REQUESTED') return;
    const accounts: AaFiAccountStatus[] = [...current.accounts];
    for (const fip of n.fips) {
      for (const a of fip.accounts) {
        const i = accounts.findIndex((x) => x.fipId === fip.fipId && x.linkRefNumber === a.linkRefNumber);
        const entry: AaFiAccountStatus = { fipId: fip.fipId, linkRefNumber: a.linkRefNumber, maskedAccNumber: accounts[i]?.maskedAccNumber ?? null, fiStatus: a.fiStatus, statementId: null, errorCode: null };
        if (i >= 0) accounts[i] = entry;
        else accounts.push(entry);
      }
    }
    if (n.sessionStatus === 'EXPIRED' || n.sessionStatus === 'FAILED') {
      // Nothing is fetched on it any more (scenarios 2011, 2015); a new request would be needed.
      await txRepo.updateFiRequest(current.fiRequestId, { status: n.sessionStatus, accounts, errorCode: `AA_FI_${n.sessionStatus}`, clearKey: true }, now);
      return;
    }
    await txRepo.updateFiRequest(current.fiRequestId, { accounts }, now);
    if (n.sessionStatus === 'COMPLETED' || accounts.some((a) => a.fiStatus === 'READY')) {
      await jobsRepository(tx).enqueue(AA_FETCH_JOB, { fiRequestId: current.fiRequestId });
    }
  });
  deps.jobs?.wake();
  return answer(aa, 200, aaOkBody({ txnid: n.txnid, now: deps.now() }));
}
