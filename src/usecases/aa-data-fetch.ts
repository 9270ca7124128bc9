/**
 * The FIU's background steps (durable jobs, so a restart or `kill -9` loses nothing): learn the
 * consent's fate, fetch and verify the signed consent, ask for the data with a fresh key pair,
 * then fetch, decrypt and read it into statements (`source: 'aa'`) exactly where an uploaded
 * PDF's rows would go. Notifications only make these jobs run sooner; without them the jobs
 * poll, backing off (docs/aa.md, "Notifications and polling"). Every step first reads what is
 * stored, so a job run twice does nothing twice.
 */
import { createHash, createPrivateKey, randomUUID } from 'node:crypto';
import { readDeposit, type DepositAccount } from '../aa/deposit-data.ts';
import { decryptFi, generateFiKeyPair, unwrapFiDocument } from '../aa/fi-crypto.ts';
import type { AaConsent, AaConsentAccount, AaConsentStatus, AaFiAccountStatus, AaFiRequest } from '../domain/aa-consent.ts';
import { aaFetchRange, type Session } from '../domain/session.ts';
import type { FetchedTransaction } from '../domain/statement.ts';
import type { CalendarDate } from '../lib/calendar-date.ts';
import { seal, unseal } from '../lib/sealed-data.ts';
import { aaRepository } from '../store/repositories/aa-repository.ts';
import { jobsRepository } from '../store/repositories/jobs-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';
import { recordCompletionOnce } from '../webhooks/webhook-outbox.ts';
import type { AaDeps } from './aa-deps.ts';
import type { Deps } from './deps.ts';
import { PROCESS_SESSION_JOB } from './initiate-processing.ts';

export const AA_FETCH_JOB = 'aa-fetch';

/** Without an FI notification, the data is asked for after this long (then backing off). */
export const FI_POLL_DELAY_MS = 5_000;
/** A request whose data is not ready after this long has timed out (the FIP never answered). */
export const FI_WAIT_LIMIT_MS = 60 * 60_000;

export type AaJobDeps = Pick<Deps, 'db' | 'now' | 'banks' | 'blobs' | 'jobs' | 'webhooks'> & { aa: AaDeps | null };

/** Thrown to try again later (the job worker backs off): the AA has nothing new yet. */
export class NotYet extends Error {
  /** The job worker retries it (backing off) without logging it as a failure. */
  readonly quiet = true;
  constructor(what: string) {
    super(`Not yet: ${what}`);
    this.name = 'NotYet';
  }
}

const TERMINAL_CONSENT: ReadonlySet<AaConsentStatus> = new Set(['REJECTED', 'REVOKED', 'EXPIRED', 'PAUSED', 'FAILED']);

function requireAa(deps: AaJobDeps): AaDeps {
  if (!deps.aa) throw new Error('Account Aggregator mode is not configured on this server');
  return deps.aa;
}

async function sessionOf(deps: AaJobDeps, sessionId: string): Promise<Session | null> {
  const clientId = await sessionsRepository(deps.db).clientIdOf(sessionId);
  return clientId ? sessionsRepository(deps.db).findForClient(clientId, sessionId) : null;
}

/** A consent's status as ReBIT's several enums say it, in Passbook's words. */
function consentStatusOf(status: string): AaConsentStatus | null {
  switch (status) {
    case 'PENDING':
      return 'PENDING';
    case 'APPROVED':
    case 'READY':
    case 'ACTIVE':
      return 'ACTIVE';
    case 'REJECTED':
    case 'REVOKED':
    case 'EXPIRED':
    case 'PAUSED':
    case 'FAILED':
      return status;
    default:
      return null;
  }
}

/** The consent job: its status, then its artefact, then (for a first fetch) the FI request. */
export async function advanceConsent(deps: AaJobDeps, consentRequestId: string): Promise<void> {
  const aa = requireAa(deps);
  const repo = aaRepository(deps.db);
  let consent = await repo.consent(consentRequestId);
  if (!consent || TERMINAL_CONSENT.has(consent.status)) return;
  const session = await sessionOf(deps, consent.sessionId);
  if (!session || session.deletedAt) return;
  const now = deps.now();

  if (consent.status === 'PENDING' || !consent.consentId) {
    let answer: { status: string; consentId: string | null };
    try {
      answer = await aa.client.consentStatus(consent.consentHandle);
    } catch (error) {
      if (isDiscarded(error)) return failConsent(deps, consent, 'AA_RESPONSE_REJECTED');
      throw error;
    }
    const status = consentStatusOf(answer.status);
    if (status === null) return failConsent(deps, consent, 'AA_RESPONSE_REJECTED');
    if (status === 'PENDING' || (status === 'ACTIVE' && !answer.consentId)) {
      if (now >= consent.consentExpiry) return setConsentStatus(deps, consent, 'EXPIRED');
      throw new NotYet('the user has not acted on the consent');
    }
    if (status !== 'ACTIVE') return setConsentStatus(deps, consent, status);
    await repo.updateConsent(consent.consentRequestId, { status: 'PENDING', consentId: answer.consentId }, now);
    consent = { ...consent, consentId: answer.consentId };
  }

  if (!consent.accounts) {
    let artefact: Awaited<ReturnType<AaDeps['client']['fetchConsent']>>;
    try {
      artefact = await aa.client.fetchConsent(consent.consentId!);
    } catch (error) {
      if (isDiscarded(error)) return failConsent(deps, consent, 'AA_RESPONSE_REJECTED');
      throw error;
    }
    const status = consentStatusOf(artefact.status);
    if (status !== 'ACTIVE') return setConsentStatus(deps, consent, status ?? 'FAILED');
    const accounts: AaConsentAccount[] = artefact.detail.Accounts.map((a) => ({
      fipId: a.fipId,
      linkRefNumber: a.linkRefNumber,
      maskedAccNumber: a.maskedAccNumber,
      fiType: a.fiType,
      accType: a.accType || null,
    }));
    await repo.updateConsent(consent.consentRequestId, { status: 'ACTIVE', accounts, digitalSignature: artefact.digitalSignature }, now);
    consent = { ...consent, status: 'ACTIVE', accounts, digitalSignature: artefact.digitalSignature };
  }

  // A recurring-only journey ends with the consent: the data comes with each later fetch.
  if (session.aa?.journeyMode === 'only_recurring') {
    await completeSession(deps, session, false);
    return;
  }
  if ((await repo.fiRequestsOfSession(session.sessionId)).some((r) => r.consentRequestId === consent.consentRequestId)) return;
  const range = aaFetchRange(session);
  await requestData(deps, consent, session.sessionId, range.from, range.to);
}

/** Asks for the data of [from, to] on an active consent, for `targetSessionId`. */
export async function requestData(deps: AaJobDeps, consent: AaConsent, targetSessionId: string, from: CalendarDate, to: CalendarDate): Promise<string> {
  const aa = requireAa(deps);
  const now = deps.now();
  const fiRequestId = randomUUID();
  const pair = generateFiKeyPair(now);
  const secret = JSON.stringify({ curve: pair.curve, nonce: pair.nonce, key: pair.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64') });
  const repo = aaRepository(deps.db);
  await repo.insertFiRequest({ fiRequestId, consentRequestId: consent.consentRequestId, sessionId: targetSessionId, fromDate: from, toDate: to, keyMaterial: seal(aa.dataKey, Buffer.from(secret), keyContext(fiRequestId)) }, now);
  let aaSessionId: string;
  try {
    ({ sessionId: aaSessionId } = await aa.client.requestFi({ consentId: consent.consentId!, digitalSignature: consent.digitalSignature!, from, to, keyMaterial: pair.keyMaterial }));
  } catch (error) {
    await repo.updateFiRequest(fiRequestId, { status: 'FAILED', errorCode: isDiscarded(error) ? 'AA_RESPONSE_REJECTED' : aaErrorCode(error), clearKey: true }, deps.now());
    if (isDiscarded(error) || aaErrorCode(error) !== 'AA_UNAVAILABLE') return fiRequestId;
    throw error;
  }
  await deps.db.transaction(async (tx) => {
    await aaRepository(tx).setAaSessionId(fiRequestId, aaSessionId, deps.now());
    await jobsRepository(tx).enqueueAfter(AA_FETCH_JOB, { fiRequestId }, FI_POLL_DELAY_MS);
  });
  return fiRequestId;
}

/** The fetch job: the data, once ready, decrypted, read and stored. */
export async function fetchData(deps: AaJobDeps, fiRequestId: string): Promise<void> {
  const aa = requireAa(deps);
  const repo = aaRepository(deps.db);
  const request = await repo.fiRequest(fiRequestId);
  if (!request || request.status !== 'REQUESTED') return;
  const session = await sessionOf(deps, request.sessionId);
  if (!session || session.deletedAt) return;
  if (!request.aaSessionId) return finishRequest(deps, request, session, [], 'FAILED', 'AA_RESPONSE_REJECTED');

  let answer: Awaited<ReturnType<AaDeps['client']['fetchFi']>>;
  try {
    answer = await aa.client.fetchFi(request.aaSessionId);
  } catch (error) {
    if (isDiscarded(error)) return finishRequest(deps, request, session, [], 'FAILED', 'AA_RESPONSE_REJECTED');
    const code = aaErrorCode(error);
    if (code === 'AA_UNAVAILABLE') throw error;
    return finishRequest(deps, request, session, [], code === 'AA_DataGone' || code === 'AA_ConsentExpired' ? 'EXPIRED' : 'FAILED', code);
  }
  if (answer.state === 'pending') {
    if (deps.now().getTime() - request.createdAt.getTime() > FI_WAIT_LIMIT_MS) return finishRequest(deps, request, session, request.accounts, 'TIMEOUT', 'AA_FI_TIMEOUT');
    throw new NotYet('the FIP has not delivered the data');
  }

  const sealedKey = await repo.keyMaterialOf(fiRequestId);
  if (!sealedKey) return finishRequest(deps, request, session, [], 'FAILED', 'AA_KEY_LOST');
  const secret = JSON.parse(unseal(aa.dataKey, sealedKey, keyContext(fiRequestId)).toString('utf8')) as { nonce: string; key: string };
  const privateKey = createPrivateKey({ key: Buffer.from(secret.key, 'base64'), format: 'der', type: 'pkcs8' });
  const consent = await repo.consent(request.consentRequestId);

  const results: AaFiAccountStatus[] = [];
  const outside: AaFiAccountStatus[] = [];
  for (const fip of answer.fi) {
    for (const account of fip.accounts) {
      const status: AaFiAccountStatus = { fipId: fip.fipId, linkRefNumber: account.linkRefNumber, maskedAccNumber: account.maskedAccNumber, fiStatus: 'DELIVERED', statementId: null, errorCode: null };
      // Data of an account the user did not consent to share is never stored (scenario 2024).
      if (consent?.accounts && !consent.accounts.some((a) => a.fipId === fip.fipId && a.linkRefNumber === account.linkRefNumber)) {
        outside.push(status);
        continue;
      }
      results.push(status);
      let document: Buffer;
      let deposit: DepositAccount;
      try {
        document = unwrapFiDocument(decryptFi(account.encryptedFI, privateKey, secret.nonce, fip.keyMaterial));
        deposit = readDeposit(document, { fipId: fip.fipId });
      } catch (error) {
        status.errorCode = error instanceof Error && error.name === 'DepositDataError' ? 'AA_DATA_UNREADABLE' : 'AA_DATA_UNDECRYPTABLE';
        continue;
      }
      if (deposit.transactions.length === 0) {
        status.errorCode = 'NO_TRANSACTIONS_FROM_AA';
        continue;
      }
      status.statementId = await storeAccountData(deps, aa, session, request, deposit, document);
      status.fiStatus = 'STORED';
    }
  }
  // Accounts the consent covers that the AA returned nothing for (denied or timed out at the FIP).
  for (const a of consent?.accounts ?? []) {
    if (!results.some((r) => r.linkRefNumber === a.linkRefNumber)) {
      results.push({ fipId: a.fipId, linkRefNumber: a.linkRefNumber, maskedAccNumber: a.maskedAccNumber, fiStatus: notifiedStatus(request, a.linkRefNumber) ?? 'DENIED', statementId: null, errorCode: 'AA_FI_NOT_DELIVERED' });
    }
  }
  const stored = results.filter((r) => r.statementId !== null).length;
  const status = stored === 0 ? 'FAILED' : stored === results.length ? 'DELIVERED' : 'PARTIAL';
  const errorCode = stored === results.length ? null : results.every((r) => r.errorCode === 'NO_TRANSACTIONS_FROM_AA') ? 'NO_TRANSACTIONS_FROM_AA' : results.find((r) => r.errorCode)?.errorCode ?? null;
  await finishRequest(deps, request, session, [...results, ...outside.map((o) => ({ ...o, fiStatus: 'REFUSED', errorCode: 'AA_FI_NOT_IN_CONSENT' }))], status, errorCode);
}

function notifiedStatus(request: AaFiRequest, linkRefNumber: string): string | null {
  return request.accounts.find((a) => a.linkRefNumber === linkRefNumber)?.fiStatus ?? null;
}

async function finishRequest(deps: AaJobDeps, request: AaFiRequest, session: Session, accounts: AaFiAccountStatus[], status: AaFiRequest['status'], errorCode: string | null): Promise<void> {
  await aaRepository(deps.db).updateFiRequest(request.fiRequestId, { status, accounts, errorCode, clearKey: true }, deps.now());
  if (status === 'DELIVERED' || status === 'PARTIAL') await completeSession(deps, session, await isRecurringFetch(deps, request));
}

/** A recurring fetch made its own session: the data is processed at once, as nobody is in a journey to submit it. */
async function isRecurringFetch(deps: AaJobDeps, request: AaFiRequest): Promise<boolean> {
  const consent = await aaRepository(deps.db).consent(request.consentRequestId);
  return consent !== null && consent.sessionId !== request.sessionId;
}

/** The user's part is done: announce it once, and (for recurring fetches) start processing. */
async function completeSession(deps: AaJobDeps, session: Session, process: boolean): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await sessionsRepository(tx).markUserCompleted(session.sessionId, deps.now());
    if (process && (await sessionsRepository(tx).claimProcessingRequest(session.sessionId, deps.now()))) {
      await jobsRepository(tx).enqueue(PROCESS_SESSION_JOB, { sessionId: session.sessionId });
    }
    await recordCompletionOnce(tx, deps, session);
  });
  deps.jobs?.wake();
  deps.webhooks?.wake();
}

/** One account's data as a statement: the raw document sealed in the blob store, the rows in the store. */
async function storeAccountData(deps: AaJobDeps, aa: AaDeps, session: Session, request: AaFiRequest, deposit: DepositAccount, document: Buffer): Promise<string> {
  const statementId = randomUUID();
  const bankName = bankOf(deps, deposit, session);
  const blobKey = `sessions/${session.sessionId}/aa/${statementId}.${deposit.format}`;
  const transactions: FetchedTransaction[] = deposit.transactions.map((t) => ({
    date: t.date,
    narration: t.narration,
    chqNum: t.chqNum,
    type: t.type,
    amountPaise: t.amountPaise,
    balancePaise: t.balancePaise,
    page: null,
    bbox: null,
    fipTransactionId: t.transactionId || null,
    reference: t.reference || null,
  }));
  const holder = deposit.holders[0];
  const identity = {
    ...deposit.identity,
    accountNumber: deposit.identity.accountNumber ?? deposit.maskedAccountNumber,
    holder: {
      dob: holder?.dob ?? null,
      email: holder?.email ?? null,
      pan: holder?.pan ?? null,
      mobile: holder?.mobile ?? null,
      holderType: deposit.holdersType,
      accountOpeningDate: deposit.summary?.openingDate ?? null,
    },
  };
  const repo = statementsRepository(deps.db);
  const accountId = await deps.db.transaction(async (tx) => {
    const txRepo = statementsRepository(tx);
    const id = await txRepo.ensureAccount(session.sessionId, bankName, identity, randomUUID());
    await txRepo.insertStoring({
      statementId,
      sessionId: session.sessionId,
      accountId: id,
      bankName,
      source: 'aa',
      fileSha256: createHash('sha256').update(document).digest('hex'),
      blobKey,
      uploadFileName: null,
      pageCount: null,
      fromDate: deposit.period?.from ?? transactions[0]?.date ?? request.fromDate,
      toDate: deposit.period?.to ?? transactions.at(-1)?.date ?? request.toDate,
      openingBalancePaise: deposit.openingBalancePaise,
      closingBalancePaise: deposit.closingBalancePaise,
      reconciled: chainHolds(deposit),
      firstBreak: null,
      fraudFindings: [],
    });
    return id;
  });
  await deps.blobs.put(blobKey, seal(aa.dataKey, document, blobKey));
  await repo.appendTransactions(statementId, accountId, transactions);
  await deps.db.transaction(async (tx) => {
    const txRepo = statementsRepository(tx);
    if (!(await txRepo.markStored(statementId, deps.now()))) throw new Error(`AA statement ${statementId} was discarded while it was being stored`);
    await txRepo.refreshAccount(accountId, identity);
  });
  return statementId;
}

/** Each balance follows from the one before and the amount (FIPs send balances, not a printed page). */
function chainHolds(deposit: DepositAccount): boolean | null {
  const ts = deposit.transactions;
  if (ts.length === 0 || deposit.openingBalancePaise === null) return null;
  let balance = deposit.openingBalancePaise;
  for (const t of ts) {
    balance += t.type === 'credit' ? t.amountPaise : -t.amountPaise;
    if (balance !== t.balancePaise) return false;
  }
  return true;
}

function bankOf(deps: AaJobDeps, deposit: DepositAccount, session: Session): string {
  const ifsc = deposit.identity.ifsc ?? deposit.summary?.ifsc ?? null;
  return (ifsc ? deps.banks.byIfscPrefix(ifsc.slice(0, 4))?.name : undefined) ?? session.bankName ?? (deposit.fipId ? deps.banks.find(deposit.fipId)?.name : undefined) ?? 'unknown';
}

function keyContext(fiRequestId: string): string {
  return `aa-fi-request:${fiRequestId}`;
}

async function setConsentStatus(deps: AaJobDeps, consent: AaConsent, status: AaConsentStatus): Promise<void> {
  await aaRepository(deps.db).updateConsent(consent.consentRequestId, { status, errorCode: null }, deps.now());
}

async function failConsent(deps: AaJobDeps, consent: AaConsent, errorCode: string): Promise<void> {
  await aaRepository(deps.db).updateConsent(consent.consentRequestId, { status: 'FAILED', errorCode }, deps.now());
}

/** An answer that failed its checks (signature, ver, timestamp, txnid, ids): discarded, never retried as if unreachable. */
function isDiscarded(error: unknown): boolean {
  return error instanceof Error && error.name === 'AaResponseRejected';
}

/** `AA_<ReBIT errorCode>` for an AA's refusal; AA_UNAVAILABLE for a network failure or timeout. */
function aaErrorCode(error: unknown): string {
  const code = error instanceof Error && error.name === 'AaErrorResponse' ? (error as Error & { errorCode?: string }).errorCode : undefined;
  return code ? `AA_${code}` : 'AA_UNAVAILABLE';
}
