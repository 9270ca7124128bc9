/**
 * The sandbox AA and FIP, driven over HTTP as an FIU would drive a real AA: requests signed
 * with the FIU's key, responses and notifications checked with the AA's, FI data decrypted
 * with the FIU's ephemeral key and read back with readDeposit. The sandbox's clock is a
 * variable the tests move; nothing reads the wall clock's date.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import { compactVerify } from 'jose';
import { loadSigningKey, loadVerifyKey, signDetached, verifyDetached, type AaSigningKey, type AaVerifyKey } from '../../src/aa/aa-signature.ts';
import { readDeposit, type DepositAccount } from '../../src/aa/deposit-data.ts';
import { decryptFi, generateFiKeyPair, type FiCurve, type FiKeyPair } from '../../src/aa/fi-crypto.ts';
import { createAaSandbox, createAaSandboxKeys, startAaSandbox, type AaSandbox, type SandboxKeyPair } from '../../src/aa/sandbox/aa-sandbox.ts';
import { sandboxCustomer, sandboxDocumentInput, SandboxLedger } from '../../src/aa/sandbox/sandbox-customers.ts';
import type { SandboxFaults } from '../../src/aa/sandbox/sandbox-controls.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';

const FIU_ID = 'passbook-test-fiu';
const FIU_API_KEY = 'fiu-client-key-0123456789';
const AA_API_KEY = 'aa-key-issued-by-the-fiu-42';
const START = Date.parse('2026-05-20T06:30:00.000Z');
/** Nov 2025 to Apr 2026, in Indian days. */
const RANGE = { from: '2025-10-31T18:30:00.000Z', to: '2026-04-30T18:29:59.999Z' };

// Top-level await, not a root before() hook: see aa-notifications.test.ts.
const keys: { aa: SandboxKeyPair; fiu: SandboxKeyPair } = await createAaSandboxKeys();
const fiuSigningKey: AaSigningKey = await loadSigningKey(keys.fiu.privateKeyPem, { kid: keys.fiu.kid });
const aaVerifyKey: AaVerifyKey = await loadVerifyKey(keys.aa.publicJwk);

// ---------------------------------------------------------------------------------------
// The FIU side, written here from the spec

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: any;
}

/** The FIU's notification endpoints: a plain node:http server that records what arrives. */
async function startFiuListener() {
  const received: Received[] = [];
  const waiters: { kind: string; resolve: (r: Received) => void }[] = [];
  const taken = new Set<Received>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) };
      received.push(entry);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ver: '2.0.0', timestamp: new Date(0).toISOString(), txnid: entry.body.txnid, response: 'OK' }));
      const i = waiters.findIndex((w) => entry.path.endsWith(`/${w.kind}/Notification`));
      if (i >= 0) {
        taken.add(entry);
        waiters.splice(i, 1)[0]!.resolve(entry);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fiu`;
  return {
    url,
    received,
    /** The next notification of a kind ('Consent' or 'FI') not yet taken. */
    next(kind: 'Consent' | 'FI'): Promise<Received> {
      const ready = received.find((r) => !taken.has(r) && r.path.endsWith(`/${kind}/Notification`));
      if (ready) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${kind} notification arrived`)), 5000);
        waiters.push({ kind, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Harness {
  base: string;
  sandbox: AaSandbox;
  fiu: Awaited<ReturnType<typeof startFiuListener>>;
  clock: { at: number };
  now: () => Date;
}

async function startHarness(t: { after: (fn: () => Promise<void>) => void }, faults: Partial<SandboxFaults> = {}): Promise<Harness> {
  const fiu = await startFiuListener();
  const clock = { at: START };
  const now = () => new Date(clock.at);
  const server = await startAaSandbox({
    now,
    aaSigningKey: keys.aa.privateKeyPem,
    aaKid: keys.aa.kid,
    fiuId: FIU_ID,
    fiuPublicKey: keys.fiu.publicKeyPem,
    fiuApiKey: FIU_API_KEY,
    fiuNotificationUrl: fiu.url,
    aaApiKeyForFiu: AA_API_KEY,
    faults,
  });
  t.after(async () => {
    await server.close();
    await fiu.close();
  });
  return { base: server.url, sandbox: server.sandbox, fiu, clock, now };
}

const envelope = (h: Harness) => ({ ver: '2.0.0', timestamp: h.now().toISOString(), txnid: randomUUID() });

interface CallOptions {
  apiKeyHeader?: Record<string, string>;
  signWith?: AaSigningKey;
  /** Change the bytes after signing. */
  tamper?: (raw: string) => string;
}

async function call(h: Harness, path: string, body: object, o: CallOptions = {}) {
  const raw = JSON.stringify(body);
  const signature = await signDetached(raw, o.signWith ?? fiuSigningKey);
  const res = await fetch(`${h.base}/V2${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-jws-signature': signature, ...(o.apiKeyHeader ?? { client_api_key: FIU_API_KEY }) },
    body: o.tamper ? o.tamper(raw) : raw,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), raw: text, signature: res.headers.get('x-jws-signature') ?? undefined };
}

/** A call whose response must carry a valid AA signature. */
async function aa(h: Harness, path: string, body: object, o: CallOptions = {}) {
  const r = await call(h, path, body, o);
  await verifyDetached(r.signature, r.raw, aaVerifyKey);
  return r;
}

function assertReBitError(r: { status: number; body: any }, status: number, code: string, txnid?: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.errorCode, code, JSON.stringify(r.body));
  assert.equal(r.body.ver, '2.0.0');
  assert.equal(typeof r.body.errorMsg, 'string');
  assert.ok(!Number.isNaN(Date.parse(r.body.timestamp)));
  if (txnid) assert.equal(r.body.txnid, txnid);
}

function consentDetail(mobile: string, overrides: Record<string, unknown> = {}) {
  return {
    consentStart: new Date(START).toISOString(),
    consentExpiry: new Date(START + 365 * 86_400_000).toISOString(),
    consentMode: 'STORE',
    fetchType: 'PERIODIC',
    consentTypes: ['PROFILE', 'SUMMARY', 'TRANSACTIONS'],
    fiTypes: ['DEPOSIT'],
    DataConsumer: { id: FIU_ID, type: 'FIU' },
    Customer: { id: `${mobile}@passbook-sandbox`, Identifiers: [{ type: 'MOBILE', value: `91${mobile}` }] },
    Purpose: { code: '103', refUri: 'https://api.rebit.org.in/aa/purpose/103.xml', text: 'Aggregated statement', Category: { type: 'Financial Reporting' } },
    FIDataRange: RANGE,
    DataLife: { unit: 'MONTH', value: 1 },
    Frequency: { unit: 'DAY', value: 2 },
    ...overrides,
  };
}

async function createConsent(h: Harness, mobile: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const body = { ...envelope(h), ConsentDetail: consentDetail(mobile, overrides) };
  const r = await aa(h, '/Consent', body);
  assert.equal(r.status, 200, r.raw);
  assert.equal(r.body.txnid, body.txnid);
  assert.equal(r.body.Customer.id, `${mobile}@passbook-sandbox`);
  return r.body.ConsentHandle;
}

/** The customer's side: open the consent page and press a button. */
async function decide(h: Harness, handle: string, decision: 'approve' | 'reject', redirect = 'https://fiu.example/aa/done?journey=7') {
  const page = await fetch(`${h.base}/consent/${handle}?redirect_url=${encodeURIComponent(redirect)}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  const accounts = [...html.matchAll(/name="account" value="([^"]+)"/g)].map((m) => m[1]!);
  const form = new URLSearchParams(accounts.map((a) => ['account', a]));
  const res = await fetch(`${h.base}/consent/${handle}/${decision}?redirect_url=${encodeURIComponent(redirect)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 303);
  return { html, accounts, location: new URL(res.headers.get('location')!) };
}

async function verifyNotification(n: Received, kind: 'Consent' | 'FI') {
  assert.equal(n.path, `/fiu/${kind}/Notification`);
  assert.equal(n.headers['aa_api_key'], AA_API_KEY);
  await verifyDetached(n.headers['x-jws-signature'] as string, n.raw, aaVerifyKey);
  assert.equal(n.body.ver, '2.0.0');
  assert.deepEqual(n.body.Notifier, { type: 'AA', id: 'passbook-sandbox-aa' });
}

async function approvedConsent(h: Harness, mobile: string, overrides: Record<string, unknown> = {}) {
  const handle = await createConsent(h, mobile, overrides);
  await decide(h, handle, 'approve');
  const n = await h.fiu.next('Consent');
  const consentId: string = n.body.ConsentStatusNotification.consentId;
  const fetched = await aa(h, '/Consent/fetch', { ...envelope(h), consentId });
  assert.equal(fetched.status, 200, fetched.raw);
  return { handle, consentId, signedConsent: fetched.body.signedConsent as string, notification: n };
}

async function requestFi(h: Harness, consentId: string, signedConsent: string, curve: FiCurve = 'Curve25519', range: { from: string; to: string } = RANGE) {
  const pair = generateFiKeyPair(h.now(), { curve });
  const r = await aa(h, '/FI/request', {
    ...envelope(h),
    FIDataRange: range,
    Consent: { id: consentId, digitalSignature: signedConsent.split('.')[2] },
    KeyMaterial: pair.keyMaterial,
  });
  return { r, pair };
}

/** Every account of an /FI/fetch answer, decrypted and read. */
function openFi(fi: any[], pair: FiKeyPair): { fipId: string; data: any; account: DepositAccount }[] {
  return fi.flatMap((entry) =>
    entry.data.map((d: any) => ({
      fipId: entry.fipID as string,
      data: d,
      account: readDeposit(decryptFi(d.encryptedFI, pair.privateKey, pair.nonce, entry.KeyMaterial), { fipId: entry.fipID }),
    })),
  );
}

function assertBalanceChain(account: DepositAccount) {
  const t = account.transactions;
  assert.ok(t.length > 0);
  for (let i = 1; i < t.length; i++) {
    const expected = t[i - 1]!.balancePaise + (t[i]!.type === 'credit' ? t[i]!.amountPaise : -t[i]!.amountPaise);
    assert.equal(t[i]!.balancePaise, expected, `row ${i} (${t[i]!.transactionId}) breaks the running balance`);
  }
  const net = t.reduce((sum, x) => sum + (x.type === 'credit' ? x.amountPaise : -x.amountPaise), 0);
  assert.equal(account.openingBalancePaise! + net, account.closingBalancePaise);
  assert.equal(account.summary?.currentBalancePaise, account.closingBalancePaise);
}

// ---------------------------------------------------------------------------------------
// The whole flow

test('an FIU gets a consent approved and fetches, decrypts and reads the data on both curves', async (t) => {
  const h = await startHarness(t);
  const mobile = '9876543219'; // last digit 9: three accounts, two of them at one bank
  const heartbeat = await fetch(`${h.base}/V2/Heartbeat`, { headers: { client_api_key: `Bearer ${FIU_API_KEY}` } });
  const beat = await heartbeat.text();
  await verifyDetached(heartbeat.headers.get('x-jws-signature') ?? undefined, beat, aaVerifyKey);
  assert.equal(JSON.parse(beat).Status, 'UP');

  const handle = await createConsent(h, mobile);
  const pending = await aa(h, '/Consent/handle', { ...envelope(h), ConsentHandle: handle });
  assert.equal(pending.body.ConsentHandle, handle);
  assert.deepEqual(pending.body.ConsentStatus, { status: 'PENDING' });

  const { html, accounts, location } = await decide(h, handle, 'approve');
  assert.match(html, new RegExp(FIU_ID));
  assert.match(html, /Aggregated statement/);
  assert.match(html, /Recurring: up to 2 times per day/);
  assert.match(html, /2025-11-01 to 2026-04-30/);
  const customer = sandboxCustomer(mobile);
  assert.equal(accounts.length, 3);
  for (const a of customer.accounts) assert.ok(html.includes(a.maskedAccNumber), `the page shows ${a.maskedAccNumber}`);
  assert.ok(!html.includes(mobile), 'the page shows the mobile number masked');
  assert.equal(location.origin + location.pathname, 'https://fiu.example/aa/done');
  assert.equal(location.searchParams.get('journey'), '7');
  assert.equal(location.searchParams.get('status'), 'APPROVED');
  assert.equal(location.searchParams.get('handle'), handle);

  const consentNote = await h.fiu.next('Consent');
  await verifyNotification(consentNote, 'Consent');
  assert.equal(consentNote.body.ConsentStatusNotification.consentStatus, 'ACTIVE');
  assert.equal(consentNote.body.ConsentStatusNotification.consentHandle, handle);
  const consentId = consentNote.body.ConsentStatusNotification.consentId;

  const approved = await aa(h, '/Consent/handle', { ...envelope(h), ConsentHandle: handle });
  assert.deepEqual(approved.body.ConsentStatus, { id: consentId, status: 'APPROVED' });

  const fetched = await aa(h, '/Consent/fetch', { ...envelope(h), consentId });
  assert.equal(fetched.body.consentId, consentId);
  assert.equal(fetched.body.status, 'ACTIVE');
  assert.equal(fetched.body.createTimestamp, new Date(START).toISOString());
  assert.equal(fetched.body.ConsentUse.count, 0);
  const { payload } = await compactVerify(fetched.body.signedConsent, aaVerifyKey.publicKey);
  const artefact = JSON.parse(new TextDecoder().decode(payload));
  assert.deepEqual(artefact.DataProvider, { id: 'passbook-sandbox-aa', type: 'AA' });
  assert.deepEqual(artefact.Customer, { id: `${mobile}@passbook-sandbox` });
  assert.deepEqual(artefact.FIDataRange, RANGE);
  assert.deepEqual(
    artefact.Accounts,
    customer.accounts.map((a) => ({ fiType: 'DEPOSIT', fipId: a.fipId, accType: 'SAVINGS', linkRefNumber: a.linkRefNumber, maskedAccNumber: a.maskedAccNumber })),
  );

  for (const curve of ['Curve25519', 'X25519'] as const) {
    const { r, pair } = await requestFi(h, consentId, fetched.body.signedConsent, curve);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.consentId, consentId);
    const sessionId = r.body.sessionId;

    const fiNote = await h.fiu.next('FI');
    await verifyNotification(fiNote, 'FI');
    const status = fiNote.body.FIStatusNotification;
    assert.equal(status.sessionId, sessionId);
    assert.equal(status.sessionStatus, 'COMPLETED');
    assert.equal(status.FIStatusResponse.length, 2, 'two FIPs');
    assert.deepEqual(status.FIStatusResponse.flatMap((f: any) => f.Accounts.map((a: any) => a.FIStatus)), ['READY', 'READY', 'READY']);

    const data = await aa(h, '/FI/fetch', { ...envelope(h), sessionId });
    assert.equal(data.status, 200, data.raw);
    assert.equal(data.body.FI.length, 2);
    for (const entry of data.body.FI) assert.equal(entry.KeyMaterial.curve, curve);
    const opened = openFi(data.body.FI, pair);
    assert.equal(opened.length, 3);
    for (const { fipId, data: d, account } of opened) {
      const expected = customer.accounts.find((a) => a.linkRefNumber === d.linkRefNumber)!;
      assert.equal(fipId, expected.fipId);
      assert.equal(account.format, 'xml');
      assert.equal(account.version, '1.1');
      assert.equal(account.maskedAccountNumber, d.maskedAccNumber);
      assert.equal(account.linkedAccRef, d.linkRefNumber);
      assert.equal(account.identity.ifsc, expected.ifsc);
      assert.equal(account.identity.accountType, 'SAVINGS');
      assert.equal(account.holders[0]!.mobile, mobile);
      assert.equal(account.holders[0]!.name, customer.holder.name);
      assert.equal(account.summary?.status, 'ACTIVE');
      assert.deepEqual(account.period, { from: '2025-11-01', to: '2026-04-30' });
      for (const x of account.transactions) assert.ok(x.date >= '2025-11-01' && x.date <= '2026-04-30', `${x.date} is inside the range`);
      assertBalanceChain(account);
      if (expected.role === 'primary') {
        const narrations = account.transactions.map((x) => x.narration).join('\n');
        assert.match(narrations, /SAL [A-Z]{3} 20\d\d/, 'the salary is there');
        assert.match(narrations, /^(ACH D-|NACH DR|ECS DR)/m, 'EMIs are there');
      }
    }
    const again = await aa(h, '/FI/fetch', { ...envelope(h), sessionId });
    assertReBitError(again, 410, 'DataGone');
  }
  const used = await aa(h, '/Consent/fetch', { ...envelope(h), consentId });
  assert.equal(used.body.ConsentUse.count, 2);
});

test('a rejected consent: redirect, notification, handle status', async (t) => {
  const h = await startHarness(t);
  const handle = await createConsent(h, '9123456784');
  const { location } = await decide(h, handle, 'reject');
  assert.equal(location.searchParams.get('status'), 'REJECTED');
  const n = await h.fiu.next('Consent');
  await verifyNotification(n, 'Consent');
  assert.deepEqual(n.body.ConsentStatusNotification, { consentHandle: handle, consentStatus: 'REJECTED' });
  const status = await aa(h, '/Consent/handle', { ...envelope(h), ConsentHandle: handle });
  assert.deepEqual(status.body.ConsentStatus, { status: 'REJECTED' });
  const page = await fetch(`${h.base}/consent/${handle}`);
  assert.match(await page.text(), /Consent request rejected/);
});

// ---------------------------------------------------------------------------------------
// What the sandbox refuses

test('requests are refused with the ReBIT error and status, signed', async (t) => {
  const h = await startHarness(t);
  const body = () => ({ ...envelope(h), ConsentDetail: consentDetail('9812345672') });

  const otherKey = await loadSigningKey(keys.aa.privateKeyPem);
  let b = body();
  assertReBitError(await aa(h, '/Consent', b, { signWith: otherKey }), 400, 'SignatureDoesNotMatch', b.txnid);
  b = body();
  assertReBitError(await aa(h, '/Consent', b, { tamper: (raw) => raw.replace('"STORE"', '"VIEW" ') }), 400, 'SignatureDoesNotMatch', b.txnid);

  b = body();
  assertReBitError(await aa(h, '/Consent', b, { apiKeyHeader: { client_api_key: 'not-the-key' } }), 401, 'Unauthorized', b.txnid);
  assertReBitError(await aa(h, '/Consent', body(), { apiKeyHeader: {} }), 401, 'Unauthorized');
  for (const header of [{ client_api_key: `Bearer ${FIU_API_KEY}` }, { authorization: `Bearer ${FIU_API_KEY}` }] as Record<string, string>[]) {
    assert.equal((await aa(h, '/Consent', body(), { apiKeyHeader: header })).status, 200);
  }

  assertReBitError(await aa(h, '/Consent', { ...body(), ver: '1.1.2' }), 404, 'NoSuchVersion');
  b = { ...body(), timestamp: new Date(START - 16 * 60_000).toISOString() };
  assertReBitError(await aa(h, '/Consent', b), 400, 'InvalidRequest', b.txnid);
  assertReBitError(await aa(h, '/Consent', { ...body(), timestamp: '20/05/2026' }), 400, 'InvalidRequest');
  assertReBitError(await aa(h, '/Consent', { ...body(), txnid: 'not-a-uuid' }), 400, 'InvalidRequest');
  const { ConsentDetail: _omitted, ...noDetail } = body();
  assertReBitError(await aa(h, '/Consent', noDetail), 400, 'InvalidRequest');
  assertReBitError(await aa(h, '/Consent', { ...envelope(h), ConsentDetail: consentDetail('9812345672', { Customer: { id: '9812345672@onemoney' } }) }), 400, 'InvalidCustomerAddress');
  assertReBitError(await aa(h, '/Consent', { ...envelope(h), ConsentDetail: consentDetail('9812345672', { Purpose: { code: '999' } }) }), 400, 'InvalidConsentPurpose');
  assertReBitError(await aa(h, '/Consent', { ...envelope(h), ConsentDetail: consentDetail('9812345672', { DataConsumer: { id: 'someone-else', type: 'FIU' } }) }), 400, 'InvalidRequest');
  assertReBitError(await aa(h, '/Consent', { ...envelope(h), ConsentDetail: consentDetail('9812345672', { consentMode: 'VIEW' }) }), 400, 'InvalidRequest', undefined);
  b = body();
  assert.equal((await aa(h, '/Consent', b)).status, 200);
  assertReBitError(await aa(h, '/Consent', b), 409, 'IdempotencyError', b.txnid);
  assertReBitError(await aa(h, '/Consent/handle', { ...envelope(h), ConsentHandle: randomUUID() }), 400, 'InvalidConsentHandle');
  assertReBitError(await aa(h, '/Consent/fetch', { ...envelope(h), consentId: randomUUID() }), 400, 'InvalidConsentId');
  assertReBitError(await aa(h, '/FI/fetch', { ...envelope(h), sessionId: randomUUID() }), 400, 'InvalidSessionId');

  const unknown = await fetch(`${h.base}/V2/Consent/handle/${randomUUID()}`, { headers: { client_api_key: FIU_API_KEY } });
  const unknownBody = await unknown.text();
  await verifyDetached(unknown.headers.get('x-jws-signature') ?? undefined, unknownBody, aaVerifyKey);
  assertReBitError({ status: unknown.status, body: JSON.parse(unknownBody) }, 400, 'InvalidURI');
});

test('FI requests outside the consent are refused: date range, frequency, key, a revoked consent', async (t) => {
  const h = await startHarness(t);
  const { consentId, signedConsent } = await approvedConsent(h, '9812345676');

  const outside = await requestFi(h, consentId, signedConsent, 'Curve25519', { from: '2025-06-01T00:00:00.000Z', to: RANGE.to });
  assertReBitError(outside.r, 400, 'InvalidDateRange');
  const reversed = await requestFi(h, consentId, signedConsent, 'Curve25519', { from: RANGE.to, to: RANGE.from });
  assertReBitError(reversed.r, 400, 'InvalidDateRange');
  const wrongSignature = await aa(h, '/FI/request', {
    ...envelope(h),
    FIDataRange: RANGE,
    Consent: { id: consentId, digitalSignature: 'AAAA' },
    KeyMaterial: generateFiKeyPair(h.now()).keyMaterial,
  });
  assertReBitError(wrongSignature, 400, 'InvalidConsentDetail');
  const badKey = generateFiKeyPair(h.now()).keyMaterial;
  badKey.DHPublicKey.KeyValue = '-----BEGIN PUBLIC KEY-----AAAA-----END PUBLIC KEY-----';
  const badKeyRequest = await aa(h, '/FI/request', { ...envelope(h), FIDataRange: RANGE, Consent: { id: consentId, digitalSignature: signedConsent.split('.')[2] }, KeyMaterial: badKey });
  assertReBitError(badKeyRequest, 400, 'InvalidKey');

  // Frequency 2 per DAY: a third request within a day is over it; a day later it is allowed.
  assert.equal((await requestFi(h, consentId, signedConsent)).r.status, 200);
  h.clock.at += 60 * 60_000;
  const second = await requestFi(h, consentId, signedConsent);
  assert.equal(second.r.status, 200);
  assertReBitError((await requestFi(h, consentId, signedConsent)).r, 400, 'InvalidConsentUse');
  h.clock.at += 24 * 60 * 60_000;
  assert.equal((await requestFi(h, consentId, signedConsent)).r.status, 200);

  await h.sandbox.setConsentStatus(consentId, 'REVOKED');
  // The COMPLETED notifications of the three sessions come first, then the revocation.
  for (let i = 0; i < 3; i++) await h.fiu.next('FI');
  const revoked = await h.fiu.next('Consent');
  await verifyNotification(revoked, 'Consent');
  assert.deepEqual(revoked.body.ConsentStatusNotification, { consentId, consentHandle: revoked.body.ConsentStatusNotification.consentHandle, consentStatus: 'REVOKED' });
  assertReBitError((await requestFi(h, consentId, signedConsent)).r, 400, 'InvalidConsentStatus');
  assertReBitError(await aa(h, '/FI/fetch', { ...envelope(h), sessionId: second.r.body.sessionId }), 403, 'ConsentRevoked');
  const fetched = await aa(h, '/Consent/fetch', { ...envelope(h), consentId });
  assert.equal(fetched.body.status, 'REVOKED');
});

test('a ONETIME consent serves one delivery; a consent that runs out expires and says so', async (t) => {
  const h = await startHarness(t);
  const { consentId, signedConsent } = await approvedConsent(h, '9812345671', {
    fetchType: 'ONETIME',
    consentExpiry: new Date(START + 2 * 86_400_000).toISOString(),
  });
  const { r, pair } = await requestFi(h, consentId, signedConsent);
  await h.fiu.next('FI');
  const data = await aa(h, '/FI/fetch', { ...envelope(h), sessionId: r.body.sessionId });
  assert.equal(openFi(data.body.FI, pair).length, 1);
  assertReBitError((await requestFi(h, consentId, signedConsent)).r, 400, 'InvalidConsentUse');

  h.clock.at += 3 * 86_400_000;
  const fetched = await aa(h, '/Consent/fetch', { ...envelope(h), consentId });
  assert.equal(fetched.body.status, 'EXPIRED');
  const n = await h.fiu.next('Consent');
  assert.equal(n.body.ConsentStatusNotification.consentStatus, 'EXPIRED');
  const handle = await aa(h, '/Consent/handle', { ...envelope(h), ConsentHandle: n.body.ConsentStatusNotification.consentHandle });
  assert.deepEqual(handle.body.ConsentStatus, { id: consentId, status: 'EXPIRED' });
});

// ---------------------------------------------------------------------------------------
// Knobs

test('response knobs: a bad signature, another key, a wrong txnid, only where asked', async (t) => {
  const h = await startHarness(t, { badResponseSignature: true, faultEndpoints: ['/Consent/handle'] });
  const handle = await createConsent(h, '9812345673'); // /Consent is not in faultEndpoints: verifies
  const r = await call(h, '/Consent/handle', { ...envelope(h), ConsentHandle: handle });
  assert.equal(r.status, 200);
  await assert.rejects(verifyDetached(r.signature, r.raw, aaVerifyKey), { code: 'INVALID_SIGNATURE' });

  h.sandbox.controls.set({ badResponseSignature: false, responseSignedByOtherKey: true });
  const other = await call(h, '/Consent/handle', { ...envelope(h), ConsentHandle: handle });
  await assert.rejects(verifyDetached(other.signature, other.raw, aaVerifyKey), { code: 'INVALID_SIGNATURE' });

  h.sandbox.controls.set({ responseSignedByOtherKey: null, faultEndpoints: null, wrongResponseTxnid: true, staleResponseTimestamp: true, wrongResponseVer: true, wrongConsentHandle: true });
  const b = { ...envelope(h), ConsentHandle: handle };
  const wrong = await aa(h, '/Consent/handle', b);
  assert.notEqual(wrong.body.txnid, b.txnid);
  assert.equal(wrong.body.ver, '1.1.2');
  assert.equal(Date.parse(wrong.body.timestamp), START - 20 * 60_000);
  assert.notEqual(wrong.body.ConsentHandle, handle);

  h.sandbox.controls.reset();
  h.sandbox.controls.set({ wrongCustomerId: true });
  const c = await aa(h, '/Consent', { ...envelope(h), ConsentDetail: consentDetail('9812345673') });
  assert.equal(c.body.Customer.id, '9812345674@passbook-sandbox');
});

test('consent knobs: another consentId, a signedConsent signed by another key', async (t) => {
  const h = await startHarness(t);
  const { consentId } = await approvedConsent(h, '9812345675');
  h.sandbox.controls.set({ wrongConsentId: true, signedConsentByOtherKey: true });
  const r = await aa(h, '/Consent/fetch', { ...envelope(h), consentId });
  assert.notEqual(r.body.consentId, consentId);
  await assert.rejects(compactVerify(r.body.signedConsent, aaVerifyKey.publicKey));
});

test('notification knobs: duplicated, another notifier, a wrong aa_api_key, a bad signature, out of order', async (t) => {
  const h = await startHarness(t, { duplicateNotifications: true, foreignNotifier: true, wrongAaApiKey: true, badNotificationSignature: true });
  const handle = await createConsent(h, '9812345678');
  await decide(h, handle, 'approve');
  const first = await h.fiu.next('Consent');
  const second = await h.fiu.next('Consent');
  assert.deepEqual(second.raw, first.raw, 'the same body twice');
  assert.equal(first.body.Notifier.id, 'another-sandbox-aa');
  assert.notEqual(first.headers['aa_api_key'], AA_API_KEY);
  await assert.rejects(verifyDetached(first.headers['x-jws-signature'] as string, first.raw, aaVerifyKey), { code: 'INVALID_SIGNATURE' });

  h.sandbox.controls.reset();
  h.sandbox.controls.set({ outOfOrderNotifications: true });
  const consentId = first.body.ConsentStatusNotification.consentId;
  const fetched = await aa(h, '/Consent/fetch', { ...envelope(h), consentId });
  await requestFi(h, consentId, fetched.body.signedConsent);
  const completed = await h.fiu.next('FI');
  const late = await h.fiu.next('FI');
  assert.equal(completed.body.FIStatusNotification.sessionStatus, 'COMPLETED');
  assert.equal(late.body.FIStatusNotification.sessionStatus, 'ACTIVE');
  await verifyNotification(late, 'FI');
  assert.equal(h.sandbox.notifications().filter((n) => n.outcome === 'delivered').length, 4);
});

test('FIP knobs: held data is in progress, partial data, failed sessions, data gone, other document forms', async (t) => {
  const h = await startHarness(t, { holdFip: true });
  const mobile = '9812345677'; // two accounts
  const { consentId, signedConsent } = await approvedConsent(h, mobile, { Frequency: { unit: 'DAY', value: 10 } });

  const held = await requestFi(h, consentId, signedConsent);
  assertReBitError(await aa(h, '/FI/fetch', { ...envelope(h), sessionId: held.r.body.sessionId }), 403, 'DataFetchRequestInProgress');
  h.sandbox.controls.set({ holdFip: false, partialData: true });
  const note = await h.fiu.next('FI');
  const statuses = note.body.FIStatusNotification.FIStatusResponse.flatMap((f: any) => f.Accounts.map((a: any) => a.FIStatus));
  assert.deepEqual(statuses, ['READY', 'DENIED']);
  const partial = await aa(h, '/FI/fetch', { ...envelope(h), sessionId: held.r.body.sessionId });
  assert.equal(openFi(partial.body.FI, held.pair).length, 1);

  h.sandbox.controls.set({ partialData: false, sessionStatus: 'FAILED' });
  const failed = await requestFi(h, consentId, signedConsent);
  const failedNote = await h.fiu.next('FI');
  assert.equal(failedNote.body.FIStatusNotification.sessionStatus, 'FAILED');
  assertReBitError(await aa(h, '/FI/fetch', { ...envelope(h), sessionId: failed.r.body.sessionId }), 404, 'NoDataFound');

  h.sandbox.controls.set({ sessionStatus: null, dataGone: true });
  const gone = await requestFi(h, consentId, signedConsent);
  await h.fiu.next('FI');
  assertReBitError(await aa(h, '/FI/fetch', { ...envelope(h), sessionId: gone.r.body.sessionId }), 410, 'DataGone');

  for (const [format, expected] of [['json', { format: 'json', schema: 2 }], ['xml-2.0.0', { format: 'xml', schema: 2 }]] as const) {
    h.sandbox.controls.set({ dataGone: false, depositFormat: format });
    const { r, pair } = await requestFi(h, consentId, signedConsent, 'X25519');
    await h.fiu.next('FI');
    const data = await aa(h, '/FI/fetch', { ...envelope(h), sessionId: r.body.sessionId, fipId: sandboxCustomer(mobile).accounts[0]!.fipId });
    const opened = openFi(data.body.FI, pair);
    assert.equal(opened.length, 1, 'only the FIP asked for');
    assert.equal(opened[0]!.account.format, expected.format);
    assert.equal(opened[0]!.account.schema, expected.schema);
    assertBalanceChain(opened[0]!.account);
  }
});

test('knobs over HTTP: GET and POST /sandbox/controls, consent controls, guarded by the api key', async (t) => {
  const h = await startHarness(t);
  const post = (path: string, body: unknown, key: string | null = FIU_API_KEY) =>
    fetch(`${h.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { client_api_key: key } : {}) }, body: JSON.stringify(body) });
  assert.equal((await post('/sandbox/controls', { holdFip: true }, null)).status, 401);
  const set = await post('/sandbox/controls', { holdFip: true, notificationDelayMs: 5 });
  assert.equal(set.status, 200);
  assert.equal((await set.json()).holdFip, true);
  assert.equal(h.sandbox.controls.get().notificationDelayMs, 5);
  const refused = await post('/sandbox/controls', { noSuchKnob: 1 });
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error, /unknown knob/);
  assert.equal((await post('/sandbox/controls', { sessionStatus: 'MAYBE' })).status, 400);
  const reset = await fetch(`${h.base}/sandbox/controls`, { method: 'DELETE', headers: { client_api_key: FIU_API_KEY } });
  assert.equal((await reset.json()).holdFip, false);

  const { consentId } = await approvedConsent(h, '9812345672');
  assert.equal((await post(`/sandbox/consents/${consentId}/pause`, {})).status, 200);
  assert.equal((await h.fiu.next('Consent')).body.ConsentStatusNotification.consentStatus, 'PAUSED');
  assert.equal((await aa(h, '/Consent/fetch', { ...envelope(h), consentId })).body.status, 'PAUSED');
  assert.equal((await post(`/sandbox/consents/${consentId}/resume`, {})).status, 200);
  assert.equal((await h.fiu.next('Consent')).body.ConsentStatusNotification.consentStatus, 'ACTIVE');
  assert.equal((await post(`/sandbox/consents/${consentId}/revoke`, {})).status, 200);
  assert.equal((await post(`/sandbox/consents/${consentId}/resume`, {})).status, 400, 'a revoked consent stays revoked');
});

// ---------------------------------------------------------------------------------------
// Customers and mounting

test('customers follow the documented rule and their data agrees across ranges', () => {
  assert.equal(sandboxCustomer('9000000000').accounts.length, 0);
  assert.equal(sandboxCustomer('9000000003').accounts.length, 1);
  assert.equal(sandboxCustomer('9000000007').accounts.length, 2);
  const three = sandboxCustomer('9000000009').accounts;
  assert.equal(three.length, 3);
  assert.equal(three[2]!.fipId, three[0]!.fipId);
  assert.notEqual(three[1]!.fipId, three[0]!.fipId);
  assert.equal(sandboxCustomer('9000000079').profile, 'stressed');
  assert.equal(sandboxCustomer('9000000069').profile, 'regular');
  assert.deepEqual(sandboxCustomer('9876501234'), sandboxCustomer('9876501234'));

  const customer = sandboxCustomer('9876501234');
  const account = customer.accounts[0]!;
  const wide = new SandboxLedger().rows(customer, account, '2025-01-01' as CalendarDate, '2025-12-31' as CalendarDate);
  const narrow = new SandboxLedger().rows(customer, account, '2025-06-10' as CalendarDate, '2025-08-20' as CalendarDate);
  const slice = wide.rows.filter((r) => r.date >= '2025-06-10' && r.date <= '2025-08-20');
  assert.deepEqual(narrow.rows, slice);
  const before = wide.rows.filter((r) => r.date < '2025-06-10').at(-1)!;
  assert.equal(narrow.openingBalancePaise, before.balancePaise);
  assert.ok(wide.rows.every((r) => r.balancePaise >= 0), 'a savings account does not go below zero');
  assert.equal(new Set(wide.rows.map((r) => r.transactionId)).size, wide.rows.length, 'transaction ids are unique');

  // A consent's DataFilter keeps only the rows it allows (the balances then jump, as a real FIP's would).
  const quarter = { from: new Date('2025-01-01T00:00:00+05:30'), to: new Date('2025-03-31T23:59:59+05:30') };
  const filtered = sandboxDocumentInput(new SandboxLedger(), customer, account, quarter, new Date(START), {
    filters: [{ type: 'TRANSACTIONTYPE', operator: '=', value: 'CREDIT' }, { type: 'TRANSACTIONAMOUNT', operator: '>=', value: '1000' }],
  });
  assert.ok(filtered.transactions.length > 0);
  assert.ok(filtered.transactions.every((x) => x.type === 'credit' && x.amountPaise >= 1000_00));
  // Data stops at the sandbox's "now": nothing after it, even when the range runs on.
  const future = sandboxDocumentInput(new SandboxLedger(), customer, account, { from: new Date('2026-05-01T00:00:00+05:30'), to: new Date('2026-12-31T00:00:00+05:30') }, new Date(START));
  assert.ok(future.transactions.every((x) => `${x.date}T${x.time}+05:30` <= '2026-05-20T12:00:00+05:30'));
  assert.equal(future.period.to, '2026-05-20');
});

test('the plugin mounts under a prefix inside another app and leaves its JSON parsing alone', async (t) => {
  const app = Fastify();
  app.post('/echo', async (request) => ({ echoed: request.body }));
  const sandbox = createAaSandbox({
    now: () => new Date(START),
    aaSigningKey: keys.aa.privateJwk,
    fiuId: FIU_ID,
    fiuPublicKey: keys.fiu.publicJwk,
    fiuApiKey: FIU_API_KEY,
    aaApiKeyForFiu: AA_API_KEY,
    publicUrl: 'http://localhost:8080/aa-sandbox/',
  });
  await app.register(sandbox.plugin, { prefix: '/aa-sandbox' });
  t.after(() => app.close());

  const beat = await app.inject({ method: 'GET', url: '/aa-sandbox/V2/Heartbeat', headers: { authorization: `Bearer ${FIU_API_KEY}` } });
  assert.equal(beat.statusCode, 200);
  await verifyDetached(beat.headers['x-jws-signature'] as string, beat.rawPayload, aaVerifyKey);
  assert.equal(beat.json().Status, 'UP');
  const echo = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
  assert.deepEqual(echo.json(), { echoed: { a: 1 } });

  const raw = JSON.stringify({ ver: '2.0.0', timestamp: new Date(START).toISOString(), txnid: randomUUID(), ConsentDetail: consentDetail('9812345601') });
  const created = await app.inject({
    method: 'POST',
    url: '/aa-sandbox/V2/Consent',
    headers: { 'content-type': 'application/json', client_api_key: FIU_API_KEY, 'x-jws-signature': await signDetached(raw, fiuSigningKey) },
    payload: raw,
  });
  assert.equal(created.statusCode, 200, created.body);
  const handle = created.json().ConsentHandle;
  assert.equal(sandbox.consentPageUrl(handle), `http://localhost:8080/aa-sandbox/consent/${handle}`);
  const page = await app.inject({ method: 'GET', url: `/aa-sandbox/consent/${handle}` });
  assert.match(page.body, new RegExp(`action="${handle}/approve"`));
  await sandbox.approve(handle);
  await sandbox.settled();
  assert.deepEqual(sandbox.notifications().map((n) => n.outcome), ['skipped'], 'no fiuNotificationUrl: nothing is sent');
});

