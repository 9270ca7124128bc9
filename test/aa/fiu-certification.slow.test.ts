/**
 * Sahamati's FIU certification scenarios (../shared/reference/aa.md §7, ids in the test names)
 * run against the whole of Passbook: the app, its store, its job worker and the built-in sandbox
 * AA + FIP, talking over the app's own HTTP stack in-process (signatures and all). The table in
 * docs/aa.md ("Certification scenarios") maps each id to its test here, and says which do not
 * apply.
 *
 * Why this file composes its own app rather than calling buildTestApp: buildTestApp gives the
 * sandbox throwaway keys that nothing can read, and the notification scenarios need to sign
 * arbitrary bodies as the AA. So the app here is composed exactly as buildTestApp composes it,
 * but the sandbox's keys are written by this file under the DATA_DIR the sandbox reads them from
 * (compose-aa.ts keeps them in `<DATA_DIR>/aa-sandbox/keys.json`). Its `fetch`, which carries
 * both directions (the FIU's calls to the AA and the AA's notifications to the FIU), records
 * every exchange, so the tests can say what Passbook sent, what the AA answered, and how
 * Passbook answered each notification.
 *
 * Stores: the "end to end" test (forEachStore) runs on PGlite and PostgreSQL; every other test
 * runs on PGlite only, to keep the file well under 40 s (about 25 s). What those exercise is the
 * FIU's logic, which is the same on both stores. Each top-level test shares one app among its
 * subtests, since a store reset and an app cost about half a second; a subtest starts from the
 * default knobs and reads only the exchanges about its own consent or session.
 *
 * Time: the clock is fixed (NOW). The job queue runs on the store's clock, so where a scenario
 * needs "later, when the FIU polls", `pollsComeDue` makes the queued polls due now.
 *
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test, type TestContext } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadSigningKey, loadVerifyKey, signDetached, verifyDetached, type AaSigningKey, type AaVerifyKey } from '../../src/aa/aa-signature.ts';
import { createAaSandboxKeys, type AaSandbox } from '../../src/aa/sandbox/aa-sandbox.ts';
import type { SandboxEndpoint, SandboxFaults } from '../../src/aa/sandbox/sandbox-controls.ts';
import { buildApp } from '../../src/app.ts';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.ts';
import { compose } from '../../src/compose.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AaConsent, AaFiRequest } from '../../src/domain/aa-consent.ts';
import type { JobWorker } from '../../src/jobs/job-worker.ts';
import type { Db } from '../../src/ports/db.ts';
import { ParsePool } from '../../src/statements/pool/parse-pool.ts';
import { aaRepository } from '../../src/store/repositories/aa-repository.ts';
import { createClient } from '../../src/usecases/manage-clients.ts';
import { ADMIN_TOKEN, forEachStore, injectFetch, openTestDb, TEST_WEBHOOK_SETTINGS, until, type StoreKind } from '../helper.ts';

const NOW = new Date('2026-11-21T06:00:00Z');
const PUBLIC_URL = 'https://journey.passbook.test';
const FIU_ID = 'passbook-fiu';
/** One savings account. */
const ONE_ACCOUNT = '9876543211';
/** Two accounts at different banks (the sandbox's customer rule: last digit 5–8). */
const TWO_ACCOUNTS = '9876543216';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------
// Keys and the app

/** The sandbox's secrets, written once for the file; every app of the file reads them. */
let dataDir: string;
let fiuApiKey: string;
let notificationApiKey: string;
/** The AA's private key: notifications signed with it are the AA's. */
let aaKey: AaSigningKey;
/** Another RSA key, claiming the AA's kid. */
let otherKey: AaSigningKey;
/** The FIU's public key: Passbook's requests and answers must verify with it. */
let fiuKey: AaVerifyKey;
let parsePool: ParsePool | undefined;

before(async () => {
  const keys = await createAaSandboxKeys();
  fiuApiKey = randomBytes(24).toString('base64url');
  notificationApiKey = randomBytes(24).toString('base64url');
  dataDir = mkdtempSync(path.join(tmpdir(), 'passbook-aa-cert-'));
  mkdirSync(path.join(dataDir, 'aa-sandbox'));
  const secrets = { ...keys, fiuApiKey, notificationApiKey, dataKey: randomBytes(32).toString('base64') };
  writeFileSync(path.join(dataDir, 'aa-sandbox', 'keys.json'), JSON.stringify(secrets), { mode: 0o600 });
  aaKey = await loadSigningKey(keys.aa.privateJwk);
  fiuKey = await loadVerifyKey(keys.fiu.publicJwk);
  // Any RSA key but the AA's will do: the FIU's, under the AA's kid.
  otherKey = await loadSigningKey(keys.fiu.privateKeyPem, { kid: aaKey.kid });
});

after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** One HTTP exchange through the shared `fetch`: the FIU calling the AA, or the AA notifying the FIU. */
interface Exchange {
  path: string;
  requestHeaders: Headers;
  requestText: string;
  status: number;
  responseHeaders: Headers;
  /** The answer as its caller got it (after any rewrite). */
  responseText: string;
  /** The answer as the other side sent it. */
  sentText: string;
}

/** Changes an AA answer's body on the wire; the result is signed again with the AA's key. */
type Rewrite = (body: Record<string, any>) => void;

interface CertApp {
  app: FastifyInstance;
  db: Db;
  worker: JobWorker;
  sandbox: AaSandbox;
  /** A client's api key, for creating sessions. */
  apiKey: string;
  exchanges: Exchange[];
  /** Per path: awaited before an answer goes back to its caller (holds the answer "on the wire"). */
  holds: Map<string, () => Promise<void>>;
  /**
   * Per path: a rewrite of the AA's 200 answers, re-signed with the AA's key. It stands for an AA
   * that sends a well-signed answer with a fault no sandbox knob makes (a schema error, …).
   */
  rewrites: Map<string, Rewrite>;
  /** The app's log lines (JSON), for looking into a failure. */
  logs: string[];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** The app as buildTestApp composes it with `aaSandbox: true`, on keys this file knows. */
async function certApp(t: TestContext, kind: StoreKind = 'pglite'): Promise<CertApp> {
  const db = await openTestDb(t, kind);
  const blobDir = mkdtempSync(path.join(tmpdir(), 'passbook-blobs-'));
  t.after(() => rmSync(blobDir, { recursive: true, force: true }));
  const config: Config = {
    ...loadConfig({}),
    publicUrl: PUBLIC_URL,
    defaultSessionExpiryMinutes: 1440,
    timeZone: 'Asia/Kolkata',
    adminToken: ADMIN_TOKEN,
    demo: false,
    clientCacheTtlMs: 0,
    webhooks: TEST_WEBHOOK_SETTINGS,
    enrichmentRulesFile: null,
    dataDir,
    aa: { kind: 'sandbox' },
  };
  const exchanges: Exchange[] = [];
  const holds = new Map<string, () => Promise<void>>();
  const rewrites = new Map<string, Rewrite>();
  let served: FastifyInstance | null = null;
  const recordingFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const res = await injectFetch(served!, input, init);
    const sent = Buffer.from(await res.arrayBuffer());
    const body = init.body;
    const pathname = new URL(input instanceof Request ? input.url : String(input)).pathname;
    let raw = sent;
    let headers = res.headers;
    const rewrite = rewrites.get(pathname);
    if (rewrite && res.status === 200) {
      const changed = JSON.parse(sent.toString('utf8')) as Record<string, any>;
      rewrite(changed);
      const text = JSON.stringify(changed);
      raw = Buffer.from(text, 'utf8');
      headers = new Headers(res.headers);
      headers.delete('content-length');
      headers.set('x-jws-signature', await signDetached(text, aaKey));
    }
    exchanges.push({
      path: pathname,
      requestHeaders: new Headers(init.headers),
      requestText: typeof body === 'string' ? body : body ? Buffer.from(body as Uint8Array).toString('utf8') : '',
      status: res.status,
      responseHeaders: headers,
      responseText: raw.toString('utf8'),
      sentText: sent.toString('utf8'),
    });
    await holds.get(pathname)?.();
    return new Response(raw, { status: res.status, headers });
  };
  const composition = await compose(config, {
    db,
    blobs: new FsBlobStore(blobDir),
    parser: (parsePool ??= new ParsePool({ workers: 1, timeoutMs: 60_000, maxHeapMb: 1024 })),
    now: () => NOW,
    pollMs: 50,
    aaSandbox: { fetch: recordingFetch },
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({ deps: composition.deps, config, logStream, checkResponses: true, aaSandbox: composition.aaSandbox });
  served = app;
  composition.workers.jobs.start();
  composition.workers.webhooks.start();
  t.after(async () => {
    await app.close();
    await composition.close();
  });
  const { credentials } = await createClient(composition.deps, { name: 'acme' });
  return {
    app,
    db,
    worker: composition.workers.jobs,
    sandbox: composition.aaSandbox!,
    apiKey: credentials.apiKey,
    exchanges,
    holds,
    rewrites,
    logs,
    inject: (options) => app.inject(options),
  };
}

// ---------------------------------------------------------------------------------------
// The journey and the store

async function newSession(app: CertApp, mobile: string): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: '/bank-connect/v1/session/',
    payload: { link_id: 'borrower-aa', api_key: app.apiKey, from_date: '01/06/2026', to_date: '31/10/2026', mode: 'aa', bank_name: 'hdfc', mobile_number: mobile },
  });
  assert.equal(created.statusCode, 200, created.body);
  return JSON.parse(created.body).session_id as string;
}

function askForConsent(app: CertApp, sid: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/aa/consent`, payload: {} });
}

/** The journey's consent step; returns the AA's consent handle. */
async function startConsent(app: CertApp, sid: string): Promise<string> {
  const res = await askForConsent(app, sid);
  assert.equal(res.statusCode, 200, res.body);
  return JSON.parse(res.body).consent_handle as string;
}

interface JourneyStatus {
  state: string;
  consent_status: string | null;
  fi_status: string | null;
  reason: string | null;
}

async function journeyStatus(app: CertApp, sid: string): Promise<JourneyStatus> {
  const res = await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}/aa` });
  assert.equal(res.statusCode, 200, res.body);
  return JSON.parse(res.body) as JourneyStatus;
}

/**
 * Whether the session's AA journey has ended, read straight from the store (cheaper to poll than
 * the status endpoint): its FI request finished, or its consent ended without one.
 */
async function storedState(app: CertApp, sid: string): Promise<{ ended: boolean; fi: AaFiRequest | null }> {
  const repo = aaRepository(app.db);
  const consent = (await repo.consentsOfSession(sid))[0];
  if (!consent) return { ended: false, fi: null };
  const fi = (await repo.fiRequestsOfSession(sid))[0] ?? null;
  return { ended: fi ? fi.status !== 'REQUESTED' : consent.status !== 'PENDING' && consent.status !== 'ACTIVE', fi };
}

/** Waits for the journey to end, then asks the status endpoint. */
async function settledStatus(app: CertApp, sid: string): Promise<JourneyStatus> {
  await until('the AA journey ends', () => storedState(app, sid), (s) => s.ended);
  return journeyStatus(app, sid);
}

async function consentOf(app: CertApp, sid: string): Promise<AaConsent> {
  const consents = await aaRepository(app.db).consentsOfSession(sid);
  assert.equal(consents.length, 1);
  return consents[0]!;
}

function fiRequestsOf(app: CertApp, sid: string): Promise<AaFiRequest[]> {
  return aaRepository(app.db).fiRequestsOfSession(sid);
}

async function statementsOf(app: CertApp, sid: string): Promise<{ statement_id: string; account_id: string }[]> {
  return app.db.query<{ statement_id: string; account_id: string }>('select statement_id, account_id from statements where session_id = $1', [sid]);
}

/** How often the tests look (every look is a few queries, which compete with the FIU's own); until() looks as often. */
const POLL_MS = 25;

/** Nothing in flight: no notification or FIP work at the sandbox, no job due or running. */
async function idle(app: CertApp): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 400 && quiet < 2; i++) {
    await app.sandbox.settled();
    const busy = await app.db.query(
      'select 1 from jobs where finished_at is null and failed_at is null and (run_at <= now() or locked_until > now()) limit 1',
    );
    quiet = busy.length === 0 ? quiet + 1 : 0;
    if (quiet < 2) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  assert.equal(quiet, 2, 'the FIU and the sandbox never went idle');
}

/**
 * "Later": the polls the FIU queued for when no notification comes (the consent poll after
 * 30 s, the fetch poll after 5 s, NotYet retries) become due now, and run.
 */
async function pollsComeDue(app: CertApp): Promise<void> {
  await idle(app);
  await app.db.query('update jobs set run_at = now() where finished_at is null and failed_at is null and (locked_until is null or locked_until < now())');
  app.worker.wake();
  await idle(app);
}

// ---------------------------------------------------------------------------------------
// What went over the wire

const AA_API = '/aa-sandbox/V2';

/**
 * Passbook's calls to an AA endpoint ('/Consent', '/FI/request', …), oldest first; `from`: only
 * those after that many exchanges (the tests of one app take `app.exchanges.length` as they start).
 */
function calls(app: CertApp, endpoint: string, from = 0): Exchange[] {
  return app.exchanges.slice(from).filter((e) => e.path === `${AA_API}${endpoint}`);
}

/** The AA's notifications to Passbook and Passbook's answers, oldest first; `from` as for `calls`. */
function notificationsTo(app: CertApp, kind: 'Consent' | 'FI', from = 0): Exchange[] {
  return app.exchanges.slice(from).filter((e) => e.path === `/aa/${kind}/Notification`);
}

const json = (text: string) => JSON.parse(text) as Record<string, any>;

/** The exchanges whose request body says `value` at `key` (a consentId, a sessionId, …). */
const about = (list: Exchange[], key: string, value: unknown) => list.filter((e) => json(e.requestText)[key] === value);

/** Passbook's calls that were about this consent (FI/request names it in Consent.id). */
function fiRequestCallsFor(app: CertApp, consentId: string): Exchange[] {
  return calls(app, '/FI/request').filter((e) => json(e.requestText).Consent?.id === consentId);
}

/** The sandbox's knobs for one case (the others at their defaults), back to the defaults afterwards. */
async function withFaults<T>(app: CertApp, faults: Partial<SandboxFaults>, body: () => Promise<T>): Promise<T> {
  app.sandbox.controls.reset();
  app.sandbox.controls.set(faults);
  try {
    return await body();
  } finally {
    app.sandbox.controls.reset();
  }
}

/** One faulty answer of `endpoint` for one case: sandbox knobs, or a rewrite of its answers; `also`: more knobs. */
async function withFault<T>(app: CertApp, endpoint: SandboxEndpoint, fault: Partial<SandboxFaults> | Rewrite, also: Partial<SandboxFaults>, body: () => Promise<T>): Promise<T> {
  if (typeof fault === 'function') app.rewrites.set(`${AA_API}${endpoint}`, fault);
  try {
    return await withFaults(app, { ...(typeof fault === 'function' ? {} : fault), ...also }, body);
  } finally {
    app.rewrites.clear();
  }
}

// ---------------------------------------------------------------------------------------
// Notifications as the AA sends them, and Passbook's answers

interface Answer {
  status: number;
  body: Record<string, any>;
}

function envelope(aaId: string, rest: Record<string, unknown>): Record<string, any> {
  return { ver: '2.0.0', timestamp: NOW.toISOString(), txnid: randomUUID(), Notifier: { type: 'AA', id: aaId }, ...rest };
}

const consentNote = (app: CertApp, csn: Record<string, unknown>) => envelope(app.sandbox.aaId, { ConsentStatusNotification: csn });
const fiNote = (app: CertApp, fsn: Record<string, unknown>) => envelope(app.sandbox.aaId, { FIStatusNotification: fsn });

interface SendOptions {
  /** Default the AA's key; null: no x-jws-signature. */
  signer?: AaSigningKey | null;
  /** Default the key Passbook issued to the AA; null: no aa_api_key. */
  apiKey?: string | null;
  /** The bytes sent, from the bytes signed. */
  tamper?: (signed: string) => string;
  /** Send this text instead of the body serialised. */
  raw?: string;
}

/** POSTs a notification as the AA would; checks the answer is signed with the FIU's key. */
async function notify(app: CertApp, kind: 'Consent' | 'FI', body: unknown, options: SendOptions = {}): Promise<Answer> {
  const text = options.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signer = options.signer === undefined ? aaKey : options.signer;
  if (signer) headers['x-jws-signature'] = await signDetached(text, signer);
  const apiKey = options.apiKey === undefined ? notificationApiKey : options.apiKey;
  if (apiKey !== null) headers['aa_api_key'] = apiKey;
  const res = await app.inject({ method: 'POST', url: `/aa/${kind}/Notification`, headers, payload: options.tamper ? options.tamper(text) : text });
  return checkedAnswer(res.statusCode, res.headers['content-type'], res.headers['x-jws-signature'], res.rawPayload);
}

async function checkedAnswer(status: number, contentType: unknown, signature: unknown, raw: Uint8Array): Promise<Answer> {
  const text = Buffer.from(raw).toString('utf8');
  assert.match(String(contentType), /^application\/json/, `${status} ${text}`);
  assert.equal(typeof signature, 'string', `the answer is signed: ${status} ${text}`);
  await verifyDetached(signature as string, raw, fiuKey);
  return { status, body: JSON.parse(text) };
}

/** Passbook's answer to a notification the sandbox sent, from the exchange log. */
function answerOf(e: Exchange): Promise<Answer> {
  return checkedAnswer(e.status, e.responseHeaders.get('content-type'), e.responseHeaders.get('x-jws-signature'), Buffer.from(e.responseText));
}

function accepted(answer: Answer, txnid: string): void {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, { ver: '2.0.0', timestamp: NOW.toISOString(), txnid, response: 'OK' });
}

/** `txnid`: the request's, to be echoed; none for a 401, which is answered before the body is read. */
function refused(answer: Answer, status: number, errorCode: string, txnid?: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.deepEqual(Object.keys(answer.body).sort(), ['errorCode', 'errorMsg', 'timestamp', 'txnid', 'ver']);
  assert.equal(answer.body.errorCode, errorCode, answer.body.errorMsg);
  assert.equal(answer.body.ver, '2.0.0');
  assert.equal(answer.body.timestamp, NOW.toISOString());
  // The request's txnid is echoed when it could be read; otherwise the answer has a fresh one.
  if (txnid !== undefined) assert.equal(answer.body.txnid, txnid);
  else assert.match(answer.body.txnid, UUID_V4);
  assert.ok(typeof answer.body.errorMsg === 'string' && answer.body.errorMsg.length > 0);
  assert.ok(!answer.body.errorMsg.includes(notificationApiKey));
}

/** The FI notification a FIP would make for every account of a consent. */
function fiStatusResponse(consent: AaConsent, fiStatus: string): { fipID: string; Accounts: { linkRefNumber: string; FIStatus: string; description: string }[] }[] {
  const byFip = new Map<string, { linkRefNumber: string; FIStatus: string; description: string }[]>();
  for (const a of consent.accounts ?? []) {
    const list = byFip.get(a.fipId) ?? [];
    list.push({ linkRefNumber: a.linkRefNumber, FIStatus: fiStatus, description: '' });
    byFip.set(a.fipId, list);
  }
  return [...byFip].map(([fipID, Accounts]) => ({ fipID, Accounts }));
}

/** A consent the user approved at the AA while the AA sent no notification: Passbook has only the handle. */
async function approvedQuietly(app: CertApp, mobile: string): Promise<{ sid: string; handle: string; consentId: string }> {
  app.sandbox.controls.reset();
  app.sandbox.controls.set({ sendNotifications: false });
  const sid = await newSession(app, mobile);
  const handle = await startConsent(app, sid);
  const { consentId } = await app.sandbox.approve(handle);
  return { sid, handle, consentId };
}

/**
 * The sandbox's FIP prepares the data (and notifies) at once, which can be before Passbook has
 * read the AA's answer to /FI/request and recorded its session id: a race this file's own test
 * shows ("overtakes"). The tests about other things hold the FIP (`holdFip`) until Passbook has
 * recorded the session (or given up on it), then let it prepare.
 */
async function releaseFipOnceRecorded(app: CertApp, sid: string): Promise<void> {
  await until(
    'the FI request recorded, or the journey failed',
    () => storedState(app, sid),
    ({ ended, fi }) => ended || fi?.aaSessionId != null,
  );
  app.sandbox.controls.set({ holdFip: false });
}

/** The user approves all accounts at the AA; the data flows once Passbook has recorded the session. */
async function approveAndDeliver(app: CertApp, sid: string, handle: string): Promise<string> {
  app.sandbox.controls.set({ holdFip: true });
  const { consentId } = await app.sandbox.approve(handle);
  await releaseFipOnceRecorded(app, sid);
  return consentId;
}

// =======================================================================================
// End to end, on both stores

forEachStore((kind) => {
  test('end to end', async (t) => {
    const app = await certApp(t, kind);

    await t.test('1004, 1029, 2002 (and the requests of 1001–1003, 2001, 2010): signed notifications drive the journey to its data', async () => {
      const from = app.exchanges.length;
      app.sandbox.controls.reset();
      app.sandbox.controls.set({ sendNotifications: false });
      const sid = await newSession(app, TWO_ACCOUNTS);
      const handle = await startConsent(app, sid);

      // 1029: PENDING is taken (200) and the consent stays pending.
      let note = consentNote(app, { consentHandle: handle, consentStatus: 'PENDING' });
      accepted(await notify(app, 'Consent', note), note.txnid);
      assert.deepEqual(await journeyStatus(app, sid), { state: 'pending', consent_status: 'PENDING', fi_status: null, reason: null });

      // 1004: the approval's notification (its first mention of the consent id).
      const { consentId } = await app.sandbox.approve(handle);
      note = consentNote(app, { consentId, consentHandle: handle, consentStatus: 'ACTIVE' });
      accepted(await notify(app, 'Consent', note), note.txnid);

      const [request] = await until('the FI request', () => fiRequestsOf(app, sid), (r) => r.length === 1 && r[0]!.aaSessionId !== null);
      await app.sandbox.settled();
      const consent = await consentOf(app, sid);
      assert.equal(consent.consentId, consentId);
      assert.equal(consent.accounts?.length, 2);

      // 2002: the FIP's data is ready.
      note = fiNote(app, { sessionId: request!.aaSessionId, sessionStatus: 'COMPLETED', FIStatusResponse: fiStatusResponse(consent, 'READY') });
      accepted(await notify(app, 'FI', note), note.txnid);
      assert.deepEqual(await settledStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null });
      const statements = await statementsOf(app, sid);
      assert.equal(statements.length, 2);
      assert.equal(new Set(statements.map((s) => s.account_id)).size, 2);

      // What Passbook sent: each call once, signed with the FIU's key, carrying what the AA gave it.
      const one = (endpoint: string) => {
        const list = calls(app, endpoint, from);
        assert.equal(list.length, 1, `${endpoint} called once`);
        const e = list[0]!;
        assert.equal(e.status, 200, e.responseText);
        assert.equal(e.requestHeaders.get('client_api_key'), fiuApiKey);
        assert.equal(e.requestHeaders.get('content-type'), 'application/json');
        const body = json(e.requestText);
        assert.equal(body.ver, '2.0.0');
        assert.match(body.txnid, UUID_V4);
        assert.equal(body.timestamp, NOW.toISOString());
        return { e, body, answer: json(e.responseText) };
      };
      const created = one('/Consent');
      const status = one('/Consent/handle');
      const fetched = one('/Consent/fetch');
      const fiRequest = one('/FI/request');
      const fiFetch = one('/FI/fetch');
      for (const { e } of [created, status, fetched, fiRequest, fiFetch]) await verifyDetached(e.requestHeaders.get('x-jws-signature') ?? undefined, e.requestText, fiuKey);

      // 1001: the consent request.
      const detail = created.body.ConsentDetail;
      assert.equal(detail.Customer.id, `${TWO_ACCOUNTS}@passbook-sandbox`);
      assert.deepEqual(detail.Customer.Identifiers, [{ type: 'MOBILE', value: TWO_ACCOUNTS }]);
      assert.deepEqual(detail.DataConsumer, { id: FIU_ID, type: 'FIU' });
      assert.equal(detail.consentMode, 'STORE');
      assert.equal(detail.fetchType, 'ONETIME');
      assert.deepEqual(detail.consentTypes, ['PROFILE', 'SUMMARY', 'TRANSACTIONS']);
      assert.deepEqual(detail.fiTypes, ['DEPOSIT']);
      assert.deepEqual(detail.FIDataRange, { from: '2026-05-31T18:30:00.000Z', to: '2026-10-31T18:29:59.999Z' });
      assert.equal(detail.Purpose.code, '103');
      assert.equal(detail.Purpose.refUri, 'https://api.rebit.org.in/aa/purpose/103.xml');
      assert.equal(detail.consentStart, NOW.toISOString());
      assert.equal(created.answer.ConsentHandle, handle);
      // 1002: the status is asked by the handle the AA returned.
      assert.equal(status.body.ConsentHandle, handle);
      assert.equal(status.answer.ConsentStatus.id, consentId);
      // 1003: the artefact is fetched by the id the AA returned.
      assert.equal(fetched.body.consentId, consentId);
      // 2001: the FI request names the consent and its signature, inside its range, with fresh key material.
      assert.deepEqual(fiRequest.body.Consent, { id: consentId, digitalSignature: String(fetched.answer.signedConsent).split('.')[2] });
      assert.deepEqual(fiRequest.body.FIDataRange, detail.FIDataRange);
      const km = fiRequest.body.KeyMaterial;
      assert.equal(km.cryptoAlg, 'ECDH');
      assert.equal(km.curve, 'Curve25519');
      assert.equal(Buffer.from(km.Nonce, 'base64').length, 32);
      assert.ok(Date.parse(km.DHPublicKey.expiry) > NOW.getTime());
      assert.equal(fiRequest.answer.sessionId, request!.aaSessionId);
      // 2010: the data is fetched for the session the AA returned.
      assert.equal(fiFetch.body.sessionId, request!.aaSessionId);
    });

    await t.test('partial data (partialData): FI status PARTIAL, the journey done, only the delivered account stored', async () => {
      const from = app.exchanges.length;
      app.sandbox.controls.reset();
      app.sandbox.controls.set({ partialData: true });
      const sid = await newSession(app, TWO_ACCOUNTS);
      await approveAndDeliver(app, sid, await startConsent(app, sid));
      assert.deepEqual(await settledStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'PARTIAL', reason: 'AA_FI_NOT_DELIVERED' });
      await idle(app);

      // The FIP said which account it denied; that one is not stored, the other is.
      const completed = notificationsTo(app, 'FI', from).map((e) => json(e.requestText).FIStatusNotification).find((n) => n.sessionStatus === 'COMPLETED');
      assert.ok(completed, 'the FIP notified COMPLETED');
      const accounts: { linkRefNumber: string; FIStatus: string }[] = completed.FIStatusResponse.flatMap((f: { Accounts: unknown[] }) => f.Accounts);
      const denied = accounts.filter((a) => a.FIStatus === 'DENIED').map((a) => a.linkRefNumber);
      assert.equal(denied.length, 1);
      const [request] = await fiRequestsOf(app, sid);
      assert.equal(request!.accounts.length, 2);
      for (const a of request!.accounts) {
        if (denied.includes(a.linkRefNumber)) {
          assert.equal(a.statementId, null);
          assert.equal(a.fiStatus, 'DENIED');
          assert.equal(a.errorCode, 'AA_FI_NOT_DELIVERED');
        } else {
          assert.ok(a.statementId);
          assert.equal(a.fiStatus, 'STORED');
        }
      }
      const statements = await statementsOf(app, sid);
      assert.deepEqual(statements.map((s) => s.statement_id), request!.accounts.filter((a) => a.statementId).map((a) => a.statementId));
    });

    await t.test('out-of-order and duplicated notifications: still exactly one statement per account', async () => {
      const from = app.exchanges.length;
      app.sandbox.controls.reset();
      app.sandbox.controls.set({ outOfOrderNotifications: true, duplicateNotifications: true });
      const sid = await newSession(app, TWO_ACCOUNTS);
      await approveAndDeliver(app, sid, await startConsent(app, sid));
      assert.deepEqual(await settledStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null });
      // Later notifications and polls change nothing.
      await pollsComeDue(app);

      const consentNotes = notificationsTo(app, 'Consent', from);
      const fiNotes = notificationsTo(app, 'FI', from);
      assert.deepEqual(consentNotes.map((e) => json(e.requestText).ConsentStatusNotification.consentStatus), ['ACTIVE', 'ACTIVE']);
      assert.deepEqual(fiNotes.map((e) => json(e.requestText).FIStatusNotification.sessionStatus), ['COMPLETED', 'COMPLETED', 'ACTIVE', 'ACTIVE']);
      for (const e of [...consentNotes, ...fiNotes]) accepted(await answerOf(e), json(e.requestText).txnid);

      assert.deepEqual(await journeyStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null });
      const [request] = await fiRequestsOf(app, sid);
      assert.equal(fiRequestCallsFor(app, (await consentOf(app, sid)).consentId!).length, 1);
      assert.equal(about(calls(app, '/FI/fetch', from), 'sessionId', request!.aaSessionId).length, 1, 'the data is fetched once');
      const statements = await statementsOf(app, sid);
      assert.equal(statements.length, 2);
      assert.equal(new Set(statements.map((s) => s.account_id)).size, 2);
    });
  });
});

// =======================================================================================
// Consent/Notification: Passbook as the server (PGlite)

test('Consent/Notification handling', async (t) => {
  const app = await certApp(t);

  await t.test('refusals change nothing: 1005, 1006, 1007, 1008, 1009, 1010, 1013, 1014, 1036, 1042; then the valid one is taken (1004)', async (t) => {
    const { sid, handle, consentId } = await approvedQuietly(app, ONE_ACCOUNT);
    const from = app.exchanges.length;
    const good = () => consentNote(app, { consentId, consentHandle: handle, consentStatus: 'ACTIVE' });
    type Edit = (b: Record<string, any>) => void;
    const expectRefused = async (edit: Edit, status: number, code: string, options: SendOptions = {}) => {
      const b = good();
      edit(b);
      const txnid = b.txnid as unknown;
      refused(await notify(app, 'Consent', b, options), status, code, typeof txnid === 'string' && status !== 401 ? txnid : undefined);
    };

    await t.test('1005 Notifier.id of another AA → 400 InvalidNotifier', async () => {
      await expectRefused((b) => (b.Notifier.id = 'another-aa'), 400, 'InvalidNotifier');
    });
    await t.test('1006 Notifier.type FIP → 400 InvalidNotifier', async () => {
      await expectRefused((b) => (b.Notifier.type = 'FIP'), 400, 'InvalidNotifier');
      await expectRefused((b) => (b.Notifier = { type: 'FIP', id: 'HDFC-SANDBOX-FIP' }), 400, 'InvalidNotifier');
    });
    await t.test('1007 unknown consentId → 400 InvalidConsentId', async () => {
      await expectRefused((b) => (b.ConsentStatusNotification = { consentId: randomUUID(), consentStatus: 'ACTIVE' }), 400, 'InvalidConsentId');
      await expectRefused((b) => (b.ConsentStatusNotification = { consentId: randomUUID(), consentHandle: randomUUID(), consentStatus: 'REVOKED' }), 400, 'InvalidConsentId');
    });
    await t.test('1008 unknown consentHandle → 400 InvalidRequest', async () => {
      await expectRefused((b) => (b.ConsentStatusNotification = { consentHandle: randomUUID(), consentStatus: 'REJECTED' }), 400, 'InvalidRequest');
      await expectRefused((b) => (b.ConsentStatusNotification = { consentHandle: randomUUID(), consentStatus: 'PENDING' }), 400, 'InvalidRequest');
    });
    await t.test('1009 schema errors → 400 InvalidRequest', async (t) => {
      const edits: [string, Edit][] = [
        ['no ver', (b) => delete b.ver],
        ['empty ver', (b) => (b.ver = '')],
        ['no txnid', (b) => delete b.txnid],
        ['txnid not a UUID', (b) => (b.txnid = 'txn-0001')],
        ['no timestamp', (b) => delete b.timestamp],
        ['no Notifier', (b) => delete b.Notifier],
        ['Notifier.id empty', (b) => (b.Notifier.id = '')],
        ['no ConsentStatusNotification', (b) => delete b.ConsentStatusNotification],
        ['ConsentStatusNotification not an object', (b) => (b.ConsentStatusNotification = 'ACTIVE')],
        ['no consentStatus', (b) => delete b.ConsentStatusNotification.consentStatus],
        ['consentStatus outside the enum', (b) => (b.ConsentStatusNotification.consentStatus = 'APPROVED')],
        ['consentId not a string', (b) => (b.ConsentStatusNotification.consentId = 42)],
        ['neither consentId nor consentHandle', (b) => (b.ConsentStatusNotification = { consentStatus: 'REJECTED' })],
        ['ACTIVE without consentId', (b) => (b.ConsentStatusNotification = { consentHandle: handle, consentStatus: 'ACTIVE' })],
      ];
      for (const [what, edit] of edits) await t.test(what, () => expectRefused(edit, 400, 'InvalidRequest'));
      await t.test('a JSON array', async () => refused(await notify(app, 'Consent', null, { raw: '[]' }), 400, 'InvalidRequest'));
    });
    await t.test('1009 a body that is not JSON → 400 InvalidRequest in ReBIT\'s shape', async () => {
      refused(await notify(app, 'Consent', null, { raw: '{"ver":"2.0.0",' }), 400, 'InvalidRequest');
    });
    await t.test('1010 timestamp more than 15 minutes off → 400 InvalidRequest', async () => {
      for (const offsetMin of [-16, 16, -24 * 60]) {
        await expectRefused((b) => (b.timestamp = new Date(NOW.getTime() + offsetMin * 60_000).toISOString()), 400, 'InvalidRequest');
      }
    });
    await t.test('1014 timestamp not a date-time → 400 InvalidRequest', async () => {
      for (const value of ['not-a-date', '2026-11-21', '2026-11-21T06:00:00', '2026-02-30T06:00:00Z', 1795240800000]) {
        await expectRefused((b) => (b.timestamp = value), 400, 'InvalidRequest');
      }
    });
    await t.test('1013 another ver → 404 NoSuchVersion', async () => {
      for (const ver of ['1.1.2', '2.1.0', 2]) await expectRefused((b) => (b.ver = ver), 404, 'NoSuchVersion');
    });
    await t.test('1036 signature missing, of other bytes, or by another key → 400 SignatureDoesNotMatch', async () => {
      await expectRefused(() => {}, 400, 'SignatureDoesNotMatch', { signer: null });
      await expectRefused(() => {}, 400, 'SignatureDoesNotMatch', { signer: otherKey });
      await expectRefused(() => {}, 400, 'SignatureDoesNotMatch', { tamper: (text) => text.replace('"ACTIVE"', '"PAUSED"') });
      await expectRefused(() => {}, 400, 'SignatureDoesNotMatch', { tamper: (text) => `${text} ` });
    });
    await t.test('1042 aa_api_key missing or wrong → 401 Unauthorized', async () => {
      await expectRefused(() => {}, 401, 'Unauthorized', { apiKey: null });
      await expectRefused(() => {}, 401, 'Unauthorized', { apiKey: `${notificationApiKey}x` });
      await expectRefused(() => {}, 401, 'Unauthorized', { apiKey: fiuApiKey });
    });

    // None of it moved the consent, and Passbook asked the AA nothing.
    assert.deepEqual(await journeyStatus(app, sid), { state: 'pending', consent_status: 'PENDING', fi_status: null, reason: null });
    assert.equal((await consentOf(app, sid)).consentId, null);
    assert.deepEqual(app.exchanges.slice(from), []);

    await t.test('1004 the valid notification (with 1010\'s tolerance: 14 minutes off, and a Bearer api key) → 200, and the journey goes on', async () => {
      app.sandbox.controls.set({ sendNotifications: true, holdFip: true });
      const b = good();
      b.timestamp = new Date(NOW.getTime() - 14 * 60_000).toISOString();
      accepted(await notify(app, 'Consent', b, { apiKey: `Bearer ${notificationApiKey}` }), b.txnid);
      await releaseFipOnceRecorded(app, sid);
      assert.deepEqual(await settledStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null });
    });
  });

  await t.test('1016, 1017, 1018, 1034, 1035: no FI request is ever raised on a paused, expired or revoked consent', async (t) => {
    for (const status of ['PAUSED', 'EXPIRED', 'REVOKED'] as const) {
      const id = { PAUSED: '1016', EXPIRED: '1017', REVOKED: '1018' }[status];
      await t.test(`${id} a ${status} notification`, async () => {
        const { sid, consentId } = await approvedQuietly(app, ONE_ACCOUNT);
        // The AA tells Passbook of the change (its own notification, signed with its key).
        app.sandbox.controls.set({ sendNotifications: true });
        const from = app.exchanges.length;
        await app.sandbox.setConsentStatus(consentId, status);
        await app.sandbox.settled();
        const [n] = notificationsTo(app, 'Consent', from);
        assert.equal(json(n!.requestText).ConsentStatusNotification.consentStatus, status);
        accepted(await answerOf(n!), json(n!.requestText).txnid);
        // Later, the consent poll comes due: still nothing.
        await pollsComeDue(app);
        assert.deepEqual(await fiRequestsOf(app, sid), []);
        assert.deepEqual(fiRequestCallsFor(app, consentId), []);
        assert.deepEqual(await journeyStatus(app, sid), { state: 'failed', consent_status: status, fi_status: null, reason: `CONSENT_${status}` });
        assert.equal((await consentOf(app, sid)).consentId, consentId);
      });
    }
    for (const status of ['PAUSED', 'REVOKED'] as const) {
      const id = { PAUSED: '1034', REVOKED: '1035' }[status];
      await t.test(`${id} no notification; the consent fetch shows ${status}`, async () => {
        const { sid, consentId } = await approvedQuietly(app, ONE_ACCOUNT);
        await app.sandbox.setConsentStatus(consentId, status);
        await pollsComeDue(app);
        const fetched = calls(app, '/Consent/fetch').filter((e) => json(e.requestText).consentId === consentId);
        assert.equal(fetched.length, 1);
        assert.equal(json(fetched[0]!.responseText).status, status);
        assert.deepEqual(await fiRequestsOf(app, sid), []);
        assert.deepEqual(fiRequestCallsFor(app, consentId), []);
        assert.deepEqual(await journeyStatus(app, sid), { state: 'failed', consent_status: status, fi_status: null, reason: `CONSENT_${status}` });
      });
    }
  });

  await t.test('the sandbox\'s own faulty notifications (1005, 1036, 1042; 2005, 2027, 2028) are refused, and polling still brings the data', async (t) => {
    const cases: [keyof SandboxFaults, number, string, string][] = [
      ['foreignNotifier', 400, 'InvalidNotifier', 'InvalidRequest'],
      ['badNotificationSignature', 400, 'SignatureDoesNotMatch', 'SignatureDoesNotMatch'],
      ['wrongAaApiKey', 401, 'Unauthorized', 'Unauthorized'],
    ];
    for (const [knob, status, consentCode, fiCode] of cases) {
      await t.test(knob, async () => {
        const from = app.exchanges.length;
        await withFaults(app, { [knob]: true }, async () => {
          const sid = await newSession(app, ONE_ACCOUNT);
          const handle = await startConsent(app, sid);
          await app.sandbox.approve(handle);
          await idle(app);
          // Refused: Passbook does not know yet that the user approved.
          assert.deepEqual(await journeyStatus(app, sid), { state: 'pending', consent_status: 'PENDING', fi_status: null, reason: null });
          await pollsComeDue(app); // the consent poll: approved; FI requested; its notification refused too
          assert.equal((await consentOf(app, sid)).status, 'ACTIVE');
          await pollsComeDue(app); // the fetch poll
          assert.deepEqual(await journeyStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null });
        });
        const consentNotes = notificationsTo(app, 'Consent', from);
        const fiNotes = notificationsTo(app, 'FI', from);
        assert.equal(consentNotes.length, 1);
        assert.equal(fiNotes.length, 1);
        refused(await answerOf(consentNotes[0]!), status, consentCode, status === 401 ? undefined : json(consentNotes[0]!.requestText).txnid);
        refused(await answerOf(fiNotes[0]!), status, fiCode, status === 401 ? undefined : json(fiNotes[0]!.requestText).txnid);
      });
    }
  });
});

// =======================================================================================
// Response hygiene: answers that fail their checks are discarded (PGlite)

/** A faulty AA answer: sandbox knobs, or (for faults no knob makes) a rewrite re-signed with the AA's key. */
type Fault = [scenario: string, fault: Partial<SandboxFaults> | Rewrite];

/** The envelope faults (ver, timestamp, txnid, signature) on this endpoint only. */
const onlyAt = (endpoint: SandboxEndpoint): Partial<SandboxFaults> => ({ faultEndpoints: [endpoint] });

test('Response hygiene', async (t) => {
  const app = await certApp(t);

  /** A consent approved while `endpoint` answers with `fault`, run until the journey ends. */
  async function approvedUnder(endpoint: SandboxEndpoint, fault: Partial<SandboxFaults> | Rewrite): Promise<{ sid: string; handle: string; consentId: string }> {
    app.sandbox.controls.reset();
    const sid = await newSession(app, ONE_ACCOUNT);
    const handle = await startConsent(app, sid);
    return withFault(app, endpoint, fault, { holdFip: true }, async () => {
      const { consentId } = await app.sandbox.approve(handle);
      await releaseFipOnceRecorded(app, sid);
      await settledStatus(app, sid);
      await idle(app);
      return { sid, handle, consentId };
    });
  }

  /** Checks for after the polls come due, made once per group (each case queues its own). */
  const later: (() => Promise<void>)[] = [];
  async function laterStillNothing(t: TestContext): Promise<void> {
    await t.test('later, when the polls come due: still nothing', async () => {
      await pollsComeDue(app);
      for (const check of later.splice(0)) await check();
    });
  }

  /** `reason`: why the journey says it failed (an AA that says FAILED is believed: CONSENT_FAILED). */
  async function consentDiscarded(endpoint: SandboxEndpoint, fault: Partial<SandboxFaults> | Rewrite, reason = 'AA_RESPONSE_REJECTED'): Promise<void> {
    const from = app.exchanges.length;
    const { sid, handle, consentId } = await approvedUnder(endpoint, fault);
    const answered = endpoint === '/Consent/handle' ? about(calls(app, endpoint, from), 'ConsentHandle', handle) : about(calls(app, endpoint, from), 'consentId', consentId);
    assert.equal(answered.length, 1);
    assert.equal(answered[0]!.status, 200, 'the AA answered 200');
    assert.deepEqual(await journeyStatus(app, sid), { state: 'failed', consent_status: 'FAILED', fi_status: null, reason });
    assert.deepEqual(await fiRequestsOf(app, sid), []);
    assert.deepEqual(fiRequestCallsFor(app, consentId), []);
    // 1028's rule: a failed consent takes no more notifications.
    const n = consentNote(app, { consentId, consentStatus: 'PAUSED' });
    refused(await notify(app, 'Consent', n), 400, 'InvalidConsentStatus', n.txnid);
    later.push(async () => assert.deepEqual(fiRequestCallsFor(app, consentId), []));
  }

  await t.test('POST /Consent answers 1011, 1019–1023 discarded: AA_UNAVAILABLE, nothing kept, the AA\'s follow-up refused', async (t) => {
    const only = onlyAt('/Consent');
    const faults: Fault[] = [
      ['1011 schema: no ConsentHandle', (b) => delete b.ConsentHandle],
      ['1011 schema: no Customer', (b) => delete b.Customer],
      ['1019 ver 1.1.2', { ...only, wrongResponseVer: true }],
      ['1020 timestamp 20 minutes old', { ...only, staleResponseTimestamp: true }],
      ['1021 another txnid', { ...only, wrongResponseTxnid: true }],
      ['1022 another Customer.id', { wrongCustomerId: true }],
      ['1023 a signature that does not match', { ...only, badResponseSignature: true }],
      ['1023 signed by another key', { ...only, responseSignedByOtherKey: true }],
    ];
    for (const [scenario, fault] of faults) {
      await t.test(scenario, async () => {
        const sid = await newSession(app, ONE_ACCOUNT);
        const from = app.exchanges.length;
        const res = await withFault(app, '/Consent', fault, {}, () => askForConsent(app, sid));
        assert.equal(res.statusCode, 502, res.body);
        assert.equal(JSON.parse(res.body).error.code, 'AA_UNAVAILABLE');
        // The AA did answer 200; Passbook kept nothing of it.
        const [sent] = calls(app, '/Consent', from);
        assert.equal(sent!.status, 200);
        assert.deepEqual(await aaRepository(app.db).consentsOfSession(sid), []);
        assert.deepEqual(await journeyStatus(app, sid), { state: 'none', consent_status: null, fi_status: null, reason: null });
        // The AA goes on with the handle it gave; its notification about it is refused.
        await app.sandbox.reject(json(sent!.sentText).ConsentHandle as string);
        await app.sandbox.settled();
        const [followUp] = notificationsTo(app, 'Consent', from);
        refused(await answerOf(followUp!), 400, 'InvalidRequest', json(followUp!.requestText).txnid);
        // A good answer is taken again.
        assert.equal((await askForConsent(app, sid)).statusCode, 200);
      });
    }
  });

  await t.test('POST /Consent/handle answers 1012, 1024–1026, 1030 discarded (and 1028): the consent FAILED, no FI request', async (t) => {
    const only = onlyAt('/Consent/handle');
    const faults: Fault[] = [
      ['1012 schema: a status outside the enum', (b) => (b.ConsentStatus.status = 'DONE')],
      ['1012 schema: APPROVED without the consent id', (b) => delete b.ConsentStatus.id],
      ['1024 ver 1.1.2', { ...only, wrongResponseVer: true }],
      ['1025 timestamp 20 minutes old', { ...only, staleResponseTimestamp: true }],
      ['1026 another ConsentHandle', { wrongConsentHandle: true }],
      ['1030 a signature that does not match', { ...only, badResponseSignature: true }],
      ['1030 signed by another key', { ...only, responseSignedByOtherKey: true }],
    ];
    for (const [scenario, fault] of faults) await t.test(scenario, () => consentDiscarded('/Consent/handle', fault));
    await t.test('1028 a well-formed answer saying FAILED: the consent is failed, later notifications get 400', () =>
      consentDiscarded('/Consent/handle', (b) => (b.ConsentStatus = { status: 'FAILED' }), 'CONSENT_FAILED'),
    );
    await laterStillNothing(t);
  });

  await t.test('POST /Consent/fetch answers 1031–1033, 1037–1041 discarded: the consent FAILED, no FI request', async (t) => {
    const only = onlyAt('/Consent/fetch');
    const faults: Fault[] = [
      ['1031 ver 1.1.2', { ...only, wrongResponseVer: true }],
      ['1032 timestamp 20 minutes old', { ...only, staleResponseTimestamp: true }],
      ['1033 another consentId', { wrongConsentId: true }],
      ['1037 createTimestamp not a date-time', (b) => (b.createTimestamp = 'yesterday')],
      ['1038 signedConsent not a JWS', (b) => (b.signedConsent = 'not.a-jws')],
      ['1039 ConsentUse missing', (b) => delete b.ConsentUse],
      ['1040 signedConsent signed by another key', { signedConsentByOtherKey: true }],
      ['1041 a signature that does not match', { ...only, badResponseSignature: true }],
      ['1041 signed by another key', { ...only, responseSignedByOtherKey: true }],
    ];
    for (const [scenario, fault] of faults) await t.test(scenario, () => consentDiscarded('/Consent/fetch', fault));
    await laterStillNothing(t);
  });

  await t.test('POST /FI/request answers 2016–2021 discarded: the FI request FAILED, the AA\'s FI notification gets 400 InvalidSessionId', async (t) => {
    const only = onlyAt('/FI/request');
    const faults: Fault[] = [
      ['2016 schema: no sessionId', (b) => delete b.sessionId],
      ['2017 ver 1.1.2', { ...only, wrongResponseVer: true }],
      ['2018 timestamp 20 minutes old', { ...only, staleResponseTimestamp: true }],
      ['2019 another txnid', { ...only, wrongResponseTxnid: true }],
      ['2020 another consentId', (b) => (b.consentId = randomUUID())],
      ['2021 a signature that does not match', { ...only, badResponseSignature: true }],
      ['2021 signed by another key', { ...only, responseSignedByOtherKey: true }],
    ];
    for (const [scenario, fault] of faults) {
      await t.test(scenario, async () => {
        const { sid, consentId } = await approvedUnder('/FI/request', fault);
        const [sent, ...more] = fiRequestCallsFor(app, consentId);
        assert.equal(more.length, 0);
        assert.equal(sent!.status, 200, 'the AA answered 200');
        assert.deepEqual(await journeyStatus(app, sid), { state: 'failed', consent_status: 'ACTIVE', fi_status: 'FAILED', reason: 'AA_RESPONSE_REJECTED' });
        const [request] = await fiRequestsOf(app, sid);
        assert.equal(request!.aaSessionId, null);
        // The AA goes on with the session it opened: the FIP's notification about it is refused.
        const aaSessionId = json(sent!.sentText).sessionId as string;
        const fiNotes = notificationsTo(app, 'FI').filter((e) => json(e.requestText).FIStatusNotification.sessionId === aaSessionId);
        assert.equal(fiNotes.length, 1);
        refused(await answerOf(fiNotes[0]!), 400, 'InvalidSessionId', json(fiNotes[0]!.requestText).txnid);
        later.push(async () => {
          assert.deepEqual(about(calls(app, '/FI/fetch'), 'sessionId', aaSessionId), []);
          assert.deepEqual(await statementsOf(app, sid), []);
        });
      });
    }
    await laterStillNothing(t);
  });

  await t.test('POST /FI/fetch answers 2022–2026 discarded: the FI request FAILED, no statement stored', async (t) => {
    const only = onlyAt('/FI/fetch');
    const faults: Fault[] = [
      ['2022 ver 1.1.2', { ...only, wrongResponseVer: true }],
      ['2023 timestamp 20 minutes old', { ...only, staleResponseTimestamp: true }],
      ['2024 FI object: no FI entries', (b) => (b.FI = [])],
      ['2024 FI object: encryptedFI not base64', (b) => (b.FI[0].data[0].encryptedFI = '%%% not base64 %%%')],
      ['2025 KeyMaterial: a 16-byte nonce', (b) => (b.FI[0].KeyMaterial.Nonce = randomBytes(16).toString('base64'))],
      ['2025 KeyMaterial: an expired key', (b) => (b.FI[0].KeyMaterial.DHPublicKey.expiry = new Date(NOW.getTime() - 3_600_000).toISOString())],
      ['2026 a signature that does not match', { ...only, badResponseSignature: true }],
      ['2026 signed by another key', { ...only, responseSignedByOtherKey: true }],
    ];
    for (const [scenario, fault] of faults) {
      await t.test(scenario, async () => {
        const { sid } = await approvedUnder('/FI/fetch', fault);
        const [request] = await fiRequestsOf(app, sid);
        const [sent, ...more] = about(calls(app, '/FI/fetch'), 'sessionId', request!.aaSessionId);
        assert.equal(more.length, 0);
        assert.equal(sent!.status, 200, 'the AA answered 200');
        assert.deepEqual(await journeyStatus(app, sid), { state: 'failed', consent_status: 'ACTIVE', fi_status: 'FAILED', reason: 'AA_RESPONSE_REJECTED' });
        assert.deepEqual(await statementsOf(app, sid), []);
        later.push(async () => {
          assert.deepEqual(await statementsOf(app, sid), []);
          assert.equal((await journeyStatus(app, sid)).fi_status, 'FAILED');
        });
      });
    }
    await laterStillNothing(t);
  });

  await t.test(
    '2024 FI data for an account the consent does not cover is not stored',
    async () => {
      const stranger = randomUUID();
      const { sid } = await approvedUnder('/FI/fetch', (b) => (b.FI[0].data[0].linkRefNumber = stranger));
      const [request] = await fiRequestsOf(app, sid);
      const strangers = request!.accounts.filter((a) => a.linkRefNumber === stranger);
      assert.deepEqual(strangers.map((a) => a.statementId), strangers.map(() => null), 'no statement for the account outside the consent');
      assert.deepEqual(await statementsOf(app, sid), []);
    },
  );
});

// =======================================================================================
// FI/Notification: Passbook as the server (PGlite)

test('FI/Notification handling', async (t) => {
  const app = await certApp(t);

  await t.test('refusals change nothing: 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2012, 2027, 2028; then the valid one is taken (2002)', async (t) => {
    const { sid, handle, consentId } = await approvedQuietly(app, TWO_ACCOUNTS);
    // The FIP holds the data, so nothing but these notifications could move the FI request.
    app.sandbox.controls.set({ holdFip: true });
    const note = consentNote(app, { consentId, consentHandle: handle, consentStatus: 'ACTIVE' });
    accepted(await notify(app, 'Consent', note), note.txnid);
    const [request] = await until('the FI request', () => fiRequestsOf(app, sid), (r) => r.length === 1 && r[0]!.aaSessionId !== null);
    await idle(app);
    const from = app.exchanges.length;
    const consent = await consentOf(app, sid);
    const good = () => fiNote(app, { sessionId: request!.aaSessionId, sessionStatus: 'COMPLETED', FIStatusResponse: fiStatusResponse(consent, 'READY') });
    type Edit = (b: Record<string, any>) => void;
    const expectRefused = async (edit: Edit, status: number, code: string, options: SendOptions = {}) => {
      const b = good();
      edit(b);
      const txnid = b.txnid as unknown;
      refused(await notify(app, 'FI', b, options), status, code, typeof txnid === 'string' && status !== 401 ? txnid : undefined);
    };

    await t.test('2003 another ver → 404 NoSuchVersion', async () => {
      for (const ver of ['1.1.2', '2.1.0', 2]) await expectRefused((b) => (b.ver = ver), 404, 'NoSuchVersion');
    });
    await t.test('2004 unknown sessionId → 400 InvalidSessionId', async () => {
      await expectRefused((b) => (b.FIStatusNotification.sessionId = randomUUID()), 400, 'InvalidSessionId');
    });
    await t.test('2005 Notifier.id of another AA → 400 InvalidRequest', async () => {
      await expectRefused((b) => (b.Notifier.id = 'another-aa'), 400, 'InvalidRequest');
    });
    await t.test('2006 schema errors → 400 InvalidRequest', async (t) => {
      const edits: [string, Edit][] = [
        ['no FIStatusNotification', (b) => delete b.FIStatusNotification],
        ['no sessionId', (b) => delete b.FIStatusNotification.sessionId],
        ['empty sessionId', (b) => (b.FIStatusNotification.sessionId = '')],
        ['sessionStatus outside the enum', (b) => (b.FIStatusNotification.sessionStatus = 'DONE')],
        ['no FIStatusResponse', (b) => delete b.FIStatusNotification.FIStatusResponse],
        ['FIStatusResponse not a list', (b) => (b.FIStatusNotification.FIStatusResponse = {})],
        ['no fipID', (b) => delete b.FIStatusNotification.FIStatusResponse[0].fipID],
        ['no Accounts', (b) => delete b.FIStatusNotification.FIStatusResponse[0].Accounts],
        ['no linkRefNumber', (b) => delete b.FIStatusNotification.FIStatusResponse[0].Accounts[0].linkRefNumber],
        ['FIStatus outside the enum', (b) => (b.FIStatusNotification.FIStatusResponse[0].Accounts[0].FIStatus = 'OK')],
        ['description not a string', (b) => (b.FIStatusNotification.FIStatusResponse[0].Accounts[0].description = 7)],
        ['no ver', (b) => delete b.ver],
      ];
      for (const [what, edit] of edits) await t.test(what, () => expectRefused(edit, 400, 'InvalidRequest'));
    });
    await t.test('2007 txnid missing or not a UUID → 400 InvalidRequest', async () => {
      await expectRefused((b) => delete b.txnid, 400, 'InvalidRequest');
      await expectRefused((b) => (b.txnid = 'not-a-uuid'), 400, 'InvalidRequest');
      await expectRefused((b) => (b.txnid = 12345), 400, 'InvalidRequest');
    });
    await t.test('2008 timestamp invalid or more than 15 minutes off → 400 InvalidRequest', async () => {
      for (const value of ['yesterday', new Date(NOW.getTime() - 16 * 60_000).toISOString(), new Date(NOW.getTime() + 16 * 60_000).toISOString()]) {
        await expectRefused((b) => (b.timestamp = value), 400, 'InvalidRequest');
      }
    });
    await t.test('2009 accounts the session does not cover → 400 InvalidRequest', async () => {
      await expectRefused((b) => (b.FIStatusNotification.FIStatusResponse[0].Accounts[0].linkRefNumber = randomUUID()), 400, 'InvalidRequest');
      await expectRefused((b) => (b.FIStatusNotification.FIStatusResponse[0].fipID = 'OTHER-FIP'), 400, 'InvalidRequest');
    });
    await t.test('2012 Notifier.type not AA → 400 InvalidRequest', async () => {
      await expectRefused((b) => (b.Notifier.type = 'FIP'), 400, 'InvalidRequest');
      await expectRefused((b) => (b.Notifier.type = 'FIU'), 400, 'InvalidRequest');
    });
    await t.test('2027 signature missing, of other bytes, or by another key → 400 SignatureDoesNotMatch', async () => {
      await expectRefused(() => {}, 400, 'SignatureDoesNotMatch', { signer: null });
      await expectRefused(() => {}, 400, 'SignatureDoesNotMatch', { signer: otherKey });
      await expectRefused(() => {}, 400, 'SignatureDoesNotMatch', { tamper: (text) => text.replace('"COMPLETED"', '"FAILED"') });
    });
    await t.test('2028 aa_api_key missing or wrong → 401 Unauthorized', async () => {
      await expectRefused(() => {}, 401, 'Unauthorized', { apiKey: null });
      await expectRefused(() => {}, 401, 'Unauthorized', { apiKey: 'not-the-key' });
    });

    const now = (await fiRequestsOf(app, sid))[0]!;
    assert.equal(now.status, 'REQUESTED');
    assert.deepEqual(now.accounts, request!.accounts);
    assert.deepEqual(await journeyStatus(app, sid), { state: 'fetching', consent_status: 'ACTIVE', fi_status: 'REQUESTED', reason: null });
    // Nothing but the fetch poll, which may come meanwhile and find the data not ready.
    const asked = app.exchanges.slice(from).filter((e) => e.path !== `${AA_API}/FI/fetch` || e.status !== 403);
    assert.deepEqual(asked.map((e) => e.path), [], 'Passbook asked the AA nothing');

    await t.test('2002 the valid notification → 200, and the data is fetched', async () => {
      app.sandbox.controls.set({ holdFip: false });
      await app.sandbox.settled();
      const b = good();
      accepted(await notify(app, 'FI', b), b.txnid);
      assert.deepEqual(await settledStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null });
      await idle(app);
    });
  });

  await t.test(
    '2002 an FI notification that overtakes the AA\'s answer to /FI/request is still taken (200)',
    async () => {
      app.sandbox.controls.reset();
      const from = app.exchanges.length;
      // The AA's answer to /FI/request is slow on the wire (half a second); its FIP is quick and
      // notifies first. Passbook holds the notification until the answer it overtook is read.
      app.holds.set(`${AA_API}/FI/request`, () => new Promise<void>((resolve) => setTimeout(resolve, 500)));
      try {
        const sid = await newSession(app, ONE_ACCOUNT);
        await app.sandbox.approve(await startConsent(app, sid));
        await until('the FI request recorded', () => fiRequestsOf(app, sid), (r) => r.length === 1 && r[0]!.aaSessionId !== null);
        const [n] = await until('the FI notification answered', async () => notificationsTo(app, 'FI', from), (l) => l.length > 0);
        assert.equal(json(n!.requestText).FIStatusNotification.sessionId, (await fiRequestsOf(app, sid))[0]!.aaSessionId);
        accepted(await answerOf(n!), json(n!.requestText).txnid);
      } finally {
        app.holds.clear();
        await pollsComeDue(app);
      }
    },
  );

  await t.test('2011, 2015: after a session EXPIRED or FAILED, nothing is fetched', async (t) => {
    for (const outcome of ['EXPIRED', 'FAILED'] as const) {
      const id = { EXPIRED: '2011', FAILED: '2015' }[outcome];
      await t.test(`${id} sessionStatus ${outcome}`, async () => {
        app.sandbox.controls.reset();
        app.sandbox.controls.set({ sessionStatus: outcome });
        const from = app.exchanges.length;
        const sid = await newSession(app, ONE_ACCOUNT);
        await approveAndDeliver(app, sid, await startConsent(app, sid));
        assert.deepEqual(await settledStatus(app, sid), { state: 'failed', consent_status: 'ACTIVE', fi_status: outcome, reason: `AA_FI_${outcome}` });
        await idle(app);
        const [n] = notificationsTo(app, 'FI', from);
        assert.equal(json(n!.requestText).FIStatusNotification.sessionStatus, outcome);
        accepted(await answerOf(n!), json(n!.requestText).txnid);
        // The fetch poll comes due, and a late COMPLETED arrives: neither fetches.
        await pollsComeDue(app);
        const [request] = await fiRequestsOf(app, sid);
        const late = fiNote(app, { sessionId: request!.aaSessionId, sessionStatus: 'COMPLETED', FIStatusResponse: fiStatusResponse(await consentOf(app, sid), 'READY') });
        accepted(await notify(app, 'FI', late), late.txnid);
        await pollsComeDue(app);
        assert.deepEqual(about(calls(app, '/FI/fetch', from), 'sessionId', request!.aaSessionId), []);
        assert.deepEqual(await statementsOf(app, sid), []);
        assert.deepEqual(await journeyStatus(app, sid), { state: 'failed', consent_status: 'ACTIVE', fi_status: outcome, reason: `AA_FI_${outcome}` });
      });
    }
  });
});

// =======================================================================================
// DEPOSIT forms (PGlite)

test('DEPOSIT as XML 2.0.0 and as JSON: the stored rows equal XML 1.1\'s', async (t) => {
  const app = await certApp(t);
  const stored = new Map<string, unknown>();
  for (const format of ['xml-1.1', 'xml-2.0.0', 'json'] as const) {
    app.sandbox.controls.reset();
    app.sandbox.controls.set({ depositFormat: format });
    const sid = await newSession(app, ONE_ACCOUNT);
    await approveAndDeliver(app, sid, await startConsent(app, sid));
    assert.deepEqual(await settledStatus(app, sid), { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null }, format);
    const [request] = await fiRequestsOf(app, sid);
    const byAccount: Record<string, unknown> = {};
    for (const a of request!.accounts) {
      const statement = await app.db.query<Record<string, unknown>>(
        'select from_date::text as from_date, to_date::text as to_date, opening_balance_paise::text as opening, closing_balance_paise::text as closing, reconciled from statements where statement_id = $1',
        [a.statementId],
      );
      const rows = await app.db.query<Record<string, unknown>>(
        `select date::text as date, type, amount_paise::text as amount, balance_paise::text as balance, narration, chq_num, fip_transaction_id, reference
         from transactions where statement_id = $1 order by seq`,
        [a.statementId],
      );
      byAccount[a.linkRefNumber] = { statement: statement[0], rows };
    }
    stored.set(format, byAccount);
  }
  const reference = stored.get('xml-1.1') as Record<string, { rows: unknown[] }>;
  assert.equal(Object.keys(reference).length, 1);
  for (const account of Object.values(reference)) assert.ok(account.rows.length > 20, 'months of activity');
  assert.deepEqual(stored.get('xml-2.0.0'), reference, 'XML 2.0.0');
  assert.deepEqual(stored.get('json'), reference, 'JSON');
});
