import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { CompactSign } from 'jose';
import {
  AaClient,
  AaErrorResponse,
  AaResponseRejected,
  AaTransportError,
  type AaClientOptions,
  type AaRejectReason,
} from '../../src/aa/aa-client.ts';
import {
  AaSchemaError,
  checkTimestamp,
  consentDetail,
  fiDataRange,
  isUuidShaped,
  isUuidV4,
  parseDateTime,
  readKeyMaterial,
  type ConsentTerms,
} from '../../src/aa/aa-messages.ts';
import { loadSigningKey, loadVerifyKey, signDetached, verifyDetached, type AaSigningKey, type AaVerifyKey } from '../../src/aa/aa-signature.ts';
import { decryptFi, encryptFi, generateFiKeyPair } from '../../src/aa/fi-crypto.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';

// ---- fixed clock, ids and keys generated here ------------------------------------------------------
const NOW = new Date('2026-03-10T10:00:00.000Z');
const clock = () => NOW;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
const MINUTE = 60_000;

const API_KEY = 'client-api-key-which-must-never-leak';
const FIU_ID = 'passbook-fiu';
const AA_ID = 'sandbox-aa';
const HANDLE = '39e108fe-9243-11e8-b9f2-0256d88baae8';
const CONSENT_ID = '654024c8-29c8-11e8-8868-0289437bf331';
const SESSION_ID = 'caa2f259-2dc2-4075-87aa-6d81018b6183';

const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }).toString();
// The AA's keys are RSA, as AAs sign RS256. The FIU's own key is P-256 (ES256): its algorithm
// does not matter to these tests, and RSA key generation is what makes the file slow.
const fiuEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const aaRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherAaRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

let fiuSigning: AaSigningKey;
let fiuVerify: AaVerifyKey;
let aaSigning: AaSigningKey;
let aaVerify: AaVerifyKey;
/** another AA's key under the same kid: only the signature itself can tell them apart */
let otherAaSigning: AaSigningKey;

const terms: ConsentTerms = {
  range: { from: '2025-09-01' as CalendarDate, to: '2026-02-28' as CalendarDate },
  fetchType: 'ONETIME',
  consentStart: NOW,
  consentExpiry: new Date(NOW.getTime() + 24 * 3600_000),
  frequency: { unit: 'MONTH', value: 1 },
  mobile: '9999999999',
  aaHandle: 'sandbox',
  fiuId: FIU_ID,
};
const detail = consentDetail(terms);

const signedDetail = () => {
  const { Customer, ...rest } = structuredClone(detail);
  return {
    ...rest,
    DataProvider: { id: AA_ID, type: 'AA' },
    Customer: { id: Customer.id },
    Accounts: [{ fiType: 'DEPOSIT', fipId: 'FIP-1', accType: 'SAVINGS', linkRefNumber: 'LRN-1', maskedAccNumber: 'XXXXXXXX4020' }],
  };
};

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** An ordinary RFC 7515 compact JWS, signed by hand over `header.base64url(payload)`. */
const jws7515 = (payload: string, key: KeyObject) => {
  const h = b64u(JSON.stringify({ alg: 'RS256', kid: 'aa-key' }));
  const p = b64u(payload);
  return `${h}.${p}.${nodeSign('sha256', Buffer.from(`${h}.${p}`), key).toString('base64url')}`;
};

/** What the reference says some AAs do: header b64:false, signature over the raw payload, payload segment base64url. */
const jws7797 = (payload: string, key: KeyObject) => {
  const h = b64u(JSON.stringify({ alg: 'RS256', kid: 'aa-key', b64: false, crit: ['b64'] }));
  const sig = nodeSign('sha256', Buffer.concat([Buffer.from(`${h}.`), Buffer.from(payload)]), key);
  return `${h}.${b64u(payload)}.${sig.toString('base64url')}`;
};

/** ReBIT's own example: header says b64:false, yet the signature is over `header.base64url(payload)`. */
const jwsMislabelled = (payload: string, key: KeyObject) => {
  const h = b64u(JSON.stringify({ alg: 'RS256', kid: 'aa-key', b64: false, crit: ['b64'] }));
  const p = b64u(payload);
  return `${h}.${p}.${nodeSign('sha256', Buffer.from(`${h}.${p}`), key).toString('base64url')}`;
};

// ---- the FI data a FIP would send -----------------------------------------------------------------
const fiuFi = generateFiKeyPair(NOW);
const fipFi = generateFiKeyPair(NOW);
const DOCUMENT = '<Account type="deposit" maskedAccNumber="XXXXXXXX4020" version="1.1" linkedAccRef="LRN-1"/>';
const encryptedFI = encryptFi(DOCUMENT, fipFi.privateKey, fipFi.nonce, fiuFi.keyMaterial);

// ---- a fake AA on node:http ------------------------------------------------------------------------
interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: any;
}

interface Reply {
  status?: number;
  body?: unknown;
  /** sent as is instead of JSON.stringify(body) */
  text?: string;
  /** who signs: the AA (default), another AA's key, or nobody */
  sign?: 'aa' | 'other' | 'none';
  /** change the body after signing it */
  tamper?: boolean;
  /** send without Content-Length */
  chunked?: boolean;
  headers?: Record<string, string>;
  /** never answer */
  hang?: boolean;
}

let server: Server;
let baseUrl: string;
let reply: (req: Received) => Reply = () => ({ status: 500, sign: 'none', text: 'no handler' });
const received: Received[] = [];
const hanging: ServerResponse[] = [];

// Top-level, not a root before() hook: see aa-notifications.test.ts. Unref'd, so that the
// process can end even if several files share it and its after() is late.
await (async () => {
  fiuSigning = await loadSigningKey(pem(fiuEc.privateKey, 'pkcs8'), { kid: 'fiu-key' });
  fiuVerify = await loadVerifyKey(pem(fiuEc.publicKey, 'spki'), { kid: 'fiu-key' });
  aaSigning = await loadSigningKey(pem(aaRsa.privateKey, 'pkcs8'), { kid: 'aa-key' });
  aaVerify = await loadVerifyKey(pem(aaRsa.publicKey, 'spki'), { kid: 'aa-key' });
  otherAaSigning = await loadSigningKey(pem(otherAaRsa.privateKey, 'pkcs8'), { kid: 'aa-key' });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body: raw.length ? JSON.parse(raw.toString('utf8')) : null };
        received.push(r);
        let out: Reply;
        try {
          out = reply(r);
        } catch (e) {
          // a broken fixture answers at once instead of leaving the client to time out
          res.writeHead(599).end(String(e));
          return;
        }
        if (out.hang) {
          hanging.push(res);
          return;
        }
        let text = out.text ?? JSON.stringify(out.body);
        const headers: Record<string, string> = { 'content-type': 'application/json', ...out.headers };
        const signer = out.sign === 'other' ? otherAaSigning : out.sign === 'none' ? null : aaSigning;
        if (signer) headers['x-jws-signature'] = await signDetached(text, signer);
        if (out.tamper) text = text.replace('"2.0.0"', '"2.0.0" ');
        if (out.chunked) {
          res.writeHead(out.status ?? 200, headers);
          res.write(text.slice(0, 10));
          res.end(text.slice(10));
        } else {
          res.writeHead(out.status ?? 200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
          res.end(text);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/V2`;
  server.unref();
})();

after(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (overrides: Partial<AaClientOptions> = {}) =>
  new AaClient({ baseUrl, aaId: AA_ID, apiKey: API_KEY, fiuId: FIU_ID, signingKey: fiuSigning, aaPublicKey: aaVerify, now: clock, ...overrides });

const last = () => received[received.length - 1] as Received;

const rejected = async (call: Promise<unknown>, reason: AaRejectReason) =>
  assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof AaResponseRejected, `expected AaResponseRejected, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.ok(!e.message.includes(API_KEY));
    return true;
  });

/** What every request must be (scenarios 1001, 1002, 1003, 2001, 2010): signed JSON with ver, timestamp and a fresh v4 txnid. */
const assertWellFormedRequest = async (r: Received, path: string) => {
  assert.equal(r.method, 'POST');
  assert.equal(r.path, `/V2${path}`);
  assert.equal(r.headers['client_api_key'], API_KEY);
  assert.equal(r.headers['content-type'], 'application/json');
  await verifyDetached(r.headers['x-jws-signature'] as string, r.raw, fiuVerify);
  assert.equal(r.body.ver, '2.0.0');
  assert.equal(r.body.timestamp, NOW.toISOString());
  assert.ok(isUuidV4(r.body.txnid));
};

const env = (r: Received) => ({ ver: '2.0.0', timestamp: NOW.toISOString(), txnid: r.body.txnid });
const consentOk = (r: Received) => ({ ...env(r), Customer: { id: r.body.ConsentDetail.Customer.id }, ConsentHandle: HANDLE });
const handleOk = (r: Received) => ({ ...env(r), ConsentHandle: r.body.ConsentHandle, ConsentStatus: { id: CONSENT_ID, status: 'APPROVED' } });
const artefactOk = (r: Received, signedConsent = jws7515(JSON.stringify(signedDetail()), aaRsa.privateKey)) => ({
  ver: '2.0.0',
  txnid: r.body.txnid,
  consentId: r.body.consentId,
  status: 'ACTIVE',
  createTimestamp: at(-5 * MINUTE),
  signedConsent,
  ConsentUse: { logUri: 'https://aa.example/consent-log', count: 0, lastUseDateTime: at(-5 * MINUTE) },
});
const fiRequestOk = (r: Received) => ({ ...env(r), consentId: r.body.Consent.id, sessionId: SESSION_ID });
const fiFetchOk = (r: Received) => ({
  ...env(r),
  FI: [{ fipID: 'FIP-1', data: [{ linkRefNumber: 'LRN-1', maskedAccNumber: 'XXXXXXXX4020', encryptedFI }], KeyMaterial: fipFi.keyMaterial }],
});

/** A good answer with one change: `edit` mutates a copy of the body. */
const edited =
  (good: (r: Received) => Record<string, any>, edit: (body: any) => void, extra: Partial<Reply> = {}) =>
  (r: Received): Reply => {
    const body = structuredClone(good(r));
    edit(body);
    return { body, ...extra };
  };

// ---- consentDetail and the shared validators ---------------------------------------------------------
test('consentDetail: ONETIME defaults to purpose 103, STORE, PROFILE+SUMMARY+TRANSACTIONS of DEPOSIT, IST day range', () => {
  assert.deepEqual(detail, {
    consentStart: '2026-03-10T10:00:00.000Z',
    consentExpiry: '2026-03-11T10:00:00.000Z',
    consentMode: 'STORE',
    fetchType: 'ONETIME',
    consentTypes: ['PROFILE', 'SUMMARY', 'TRANSACTIONS'],
    fiTypes: ['DEPOSIT'],
    DataConsumer: { id: FIU_ID, type: 'FIU' },
    Customer: { id: '9999999999@sandbox', Identifiers: [{ type: 'MOBILE', value: '9999999999' }] },
    Purpose: { code: '103', refUri: 'https://api.rebit.org.in/aa/purpose/103.xml', text: 'Aggregated statement', Category: { type: 'Financial Reporting' } },
    FIDataRange: { from: '2025-08-31T18:30:00.000Z', to: '2026-02-28T18:29:59.999Z' },
    DataLife: { unit: 'DAY', value: 30 },
    Frequency: { unit: 'MONTH', value: 1 },
  });
});

test('consentDetail: PERIODIC defaults to purpose 104; an explicit purpose and data life win', () => {
  const periodic = consentDetail({ ...terms, fetchType: 'PERIODIC', frequency: { unit: 'DAY', value: 1 } });
  assert.deepEqual(periodic.Purpose, {
    code: '104',
    refUri: 'https://api.rebit.org.in/aa/purpose/104.xml',
    text: 'Explicit consent for monitoring of the accounts',
    Category: { type: 'Account Query and Monitoring' },
  });
  const custom = consentDetail({ ...terms, purposeCode: '105', dataLife: { unit: 'MONTH', value: 6 } });
  assert.equal(custom.Purpose.code, '105');
  assert.deepEqual(custom.DataLife, { unit: 'MONTH', value: 6 });
});

test('consentDetail refuses terms that do not fit', () => {
  assert.throws(() => consentDetail({ ...terms, mobile: '+91 99999' }), RangeError);
  assert.throws(() => consentDetail({ ...terms, aaHandle: '@x' }), RangeError);
  assert.throws(() => consentDetail({ ...terms, range: { from: '2026-03-01' as CalendarDate, to: '2026-02-01' as CalendarDate } }), RangeError);
  assert.throws(() => consentDetail({ ...terms, range: { from: '2026-02-30' as CalendarDate, to: '2026-03-01' as CalendarDate } }), RangeError);
  assert.throws(() => consentDetail({ ...terms, consentExpiry: NOW }), RangeError);
  assert.throws(() => consentDetail({ ...terms, frequency: { unit: 'HOUR', value: 0 } }), AaSchemaError);
  assert.throws(() => consentDetail({ ...terms, dataLife: { unit: 'INF', value: 3 } }), AaSchemaError);
});

test('fiDataRange covers whole IST days', () => {
  assert.deepEqual(fiDataRange('2026-01-01' as CalendarDate, '2026-01-01' as CalendarDate), {
    from: '2025-12-31T18:30:00.000Z',
    to: '2026-01-01T18:29:59.999Z',
  });
});

test('timestamps: RFC 3339 with an offset (also +0000), real dates only, ±15 minutes', () => {
  assert.equal(parseDateTime('2023-06-26T06:13:30.967+0000')?.toISOString(), '2023-06-26T06:13:30.967Z');
  assert.equal(parseDateTime('2023-06-26T11:43:30+05:30')?.toISOString(), '2023-06-26T06:13:30.000Z');
  assert.equal(parseDateTime('2023-02-30T00:00:00Z'), null);
  assert.equal(parseDateTime('2023-06-26T06:13:30'), null);
  assert.equal(parseDateTime('2023-06-2611:39:57.153Z'), null);
  assert.equal(checkTimestamp(at(15 * MINUTE), NOW), 'ok');
  assert.equal(checkTimestamp(at(-15 * MINUTE), NOW), 'ok');
  assert.equal(checkTimestamp(at(15 * MINUTE + 1), NOW), 'skewed');
  assert.equal(checkTimestamp(at(-16 * MINUTE), NOW), 'skewed');
  assert.equal(checkTimestamp('yesterday', NOW), 'invalid');
  assert.equal(checkTimestamp(12, NOW), 'invalid');
});

test('uuids: shape on receipt, strict v4 on sending', () => {
  assert.ok(isUuidShaped('4a4adbbe-29ae-11e8-a8d7-0289437bf331'));
  assert.ok(!isUuidV4('4a4adbbe-29ae-11e8-a8d7-0289437bf331'));
  assert.ok(isUuidV4('0b811819-9044-4856-b0ee-8c88035f8858'));
  assert.ok(!isUuidShaped('0b8118199044-4856-b0ee-8c88035f8858-'));
  assert.ok(!isUuidShaped('0b811819-9044-4856-b0ee-8c88035f885'));
});

test('readKeyMaterial takes both curve forms and refuses a bad key, nonce or expiry', () => {
  assert.deepEqual(readKeyMaterial(fipFi.keyMaterial, 'KeyMaterial', NOW), fipFi.keyMaterial);
  const x = generateFiKeyPair(NOW, { curve: 'X25519' }).keyMaterial;
  assert.deepEqual(readKeyMaterial({ ...x, cryptoAlg: 'X25519', curve: '' }, 'KeyMaterial', NOW).curve, '');
  const bad = (km: unknown, field: string) =>
    assert.throws(
      () => readKeyMaterial(km, 'KeyMaterial', NOW),
      (e: unknown) => e instanceof AaSchemaError && e.field === field,
    );
  bad({ ...fipFi.keyMaterial, Nonce: '29512b70-ca84-46b5-9471-63765599cf15' }, 'KeyMaterial.Nonce');
  bad({ ...fipFi.keyMaterial, DHPublicKey: { ...fipFi.keyMaterial.DHPublicKey, KeyValue: 'not a key' } }, 'KeyMaterial.DHPublicKey.KeyValue');
  bad({ ...fipFi.keyMaterial, DHPublicKey: { ...fipFi.keyMaterial.DHPublicKey, expiry: at(-16 * MINUTE) } }, 'KeyMaterial.DHPublicKey.expiry');
  bad({ ...fipFi.keyMaterial, cryptoAlg: 'RSA' }, 'KeyMaterial.cryptoAlg');
  bad({ ...fipFi.keyMaterial, curve: 'P-256' }, 'KeyMaterial.curve');
  bad(undefined, 'KeyMaterial');
});

// ---- POST /Consent ------------------------------------------------------------------------------------
test('createConsent sends the detail signed and returns the handle (1001)', async () => {
  reply = (r) => ({ body: consentOk(r) });
  const created = await client().createConsent(detail);
  const r = last();
  await assertWellFormedRequest(r, '/Consent');
  assert.deepEqual(r.body.ConsentDetail, detail);
  assert.deepEqual(created, { txnid: r.body.txnid, consentHandle: HANDLE, customerId: '9999999999@sandbox' });
});

test('createConsent: each txnid is fresh and comes from the injected source; a non-v4 source is refused', async () => {
  reply = (r) => ({ body: consentOk(r) });
  const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-a222-222222222222'];
  const c = client({ uuid: () => ids.shift() as string });
  assert.equal((await c.createConsent(detail)).txnid, '11111111-1111-4111-8111-111111111111');
  assert.equal((await c.createConsent(detail)).txnid, '22222222-2222-4222-a222-222222222222');
  await assert.rejects(client({ uuid: () => '4a4adbbe-29ae-11e8-a8d7-0289437bf331' }).createConsent(detail), TypeError);
});

test('createConsent refuses to send a detail that breaks the schema', async () => {
  const before = received.length;
  await assert.rejects(client().createConsent({ ...detail, fiTypes: [] }), AaSchemaError);
  assert.equal(received.length, before);
});

const consentCases: [string, (r: Received) => Reply, AaRejectReason][] = [
  ['no signature (1023)', (r) => ({ body: consentOk(r), sign: 'none' }), 'SIGNATURE_MISSING'],
  ["another AA's signature (1023)", (r) => ({ body: consentOk(r), sign: 'other' }), 'SIGNATURE_INVALID'],
  ['body changed after signing (1023)', (r) => ({ body: consentOk(r), tamper: true }), 'SIGNATURE_INVALID'],
  ['not JSON', () => ({ text: '<html>ok</html>' }), 'NOT_JSON'],
  ['a JSON array', () => ({ text: '[]' }), 'NOT_JSON'],
  ['ver 1.1.2 (1019)', edited(consentOk, (b) => (b.ver = '1.1.2')), 'VERSION'],
  ['ver as a number (1019)', edited(consentOk, (b) => (b.ver = 2)), 'VERSION'],
  ['ver missing (1011)', edited(consentOk, (b) => delete b.ver), 'SCHEMA'],
  ['timestamp 16 minutes late (1020)', edited(consentOk, (b) => (b.timestamp = at(16 * MINUTE))), 'TIMESTAMP'],
  ['timestamp 16 minutes early (1020)', edited(consentOk, (b) => (b.timestamp = at(-16 * MINUTE))), 'TIMESTAMP'],
  ['timestamp not a date (1020)', edited(consentOk, (b) => (b.timestamp = '2026-03-10 10:00')), 'TIMESTAMP'],
  ['timestamp missing (1011)', edited(consentOk, (b) => delete b.timestamp), 'SCHEMA'],
  ['another txnid (1021)', edited(consentOk, (b) => (b.txnid = '0b811819-9044-4856-b0ee-8c88035f8858')), 'TXNID_MISMATCH'],
  ['txnid missing (1011)', edited(consentOk, (b) => delete b.txnid), 'SCHEMA'],
  ['ConsentHandle missing (1011)', edited(consentOk, (b) => delete b.ConsentHandle), 'SCHEMA'],
  ['ConsentHandle empty (1011)', edited(consentOk, (b) => (b.ConsentHandle = '')), 'SCHEMA'],
  ['ConsentHandle a number (1011)', edited(consentOk, (b) => (b.ConsentHandle = 42)), 'SCHEMA'],
  ['Customer missing (1011)', edited(consentOk, (b) => delete b.Customer), 'SCHEMA'],
  ['another Customer.id (1022)', edited(consentOk, (b) => (b.Customer.id = '8888888888@sandbox')), 'CUSTOMER_MISMATCH'],
];
for (const [name, make, reason] of consentCases) {
  test(`createConsent discards an answer with ${name}`, async () => {
    reply = make;
    await rejected(client().createConsent(detail), reason);
  });
}

// ---- POST /Consent/handle -----------------------------------------------------------------------------
test('consentStatus asks about the handle given (1002) and reads the status and consent id', async () => {
  reply = (r) => ({ body: handleOk(r) });
  assert.deepEqual(await client().consentStatus(HANDLE), { status: 'APPROVED', consentId: CONSENT_ID });
  await assertWellFormedRequest(last(), '/Consent/handle');
  assert.equal(last().body.ConsentHandle, HANDLE);

  reply = edited(handleOk, (b) => (b.ConsentStatus = { id: '', status: 'PENDING' }));
  assert.deepEqual(await client().consentStatus(HANDLE), { status: 'PENDING', consentId: null });
  reply = edited(handleOk, (b) => (b.ConsentStatus = { status: 'FAILED' }));
  assert.deepEqual(await client().consentStatus(HANDLE), { status: 'FAILED', consentId: null });
});

const handleCases: [string, (r: Received) => Reply, AaRejectReason][] = [
  ['ConsentStatus missing (1012)', edited(handleOk, (b) => delete b.ConsentStatus), 'SCHEMA'],
  ['an unknown status (1012)', edited(handleOk, (b) => (b.ConsentStatus.status = 'ACTIVE')), 'SCHEMA'],
  ['APPROVED without a consent id (1012)', edited(handleOk, (b) => delete b.ConsentStatus.id), 'SCHEMA'],
  ['ver 1.0 (1024)', edited(handleOk, (b) => (b.ver = '1.0')), 'VERSION'],
  ['timestamp 20 minutes off (1025)', edited(handleOk, (b) => (b.timestamp = at(-20 * MINUTE))), 'TIMESTAMP'],
  ['another handle (1026)', edited(handleOk, (b) => (b.ConsentHandle = 'ffffffff-9243-11e8-b9f2-0256d88baae8')), 'CONSENT_HANDLE_MISMATCH'],
  ["another AA's signature (1030)", (r) => ({ body: handleOk(r), sign: 'other' }), 'SIGNATURE_INVALID'],
];
for (const [name, make, reason] of handleCases) {
  test(`consentStatus discards an answer with ${name}`, async () => {
    reply = make;
    await rejected(client().consentStatus(HANDLE), reason);
  });
}

// ---- POST /Consent/fetch ------------------------------------------------------------------------------
test('fetchConsent verifies signedConsent (RFC 7515, made by jose) and returns the artefact (1003)', async () => {
  const signedConsent = await new CompactSign(Buffer.from(JSON.stringify(signedDetail()))).setProtectedHeader({ alg: 'RS256', kid: 'aa-key' }).sign(aaRsa.privateKey);
  reply = (r) => ({ body: artefactOk(r, signedConsent) });
  const got = await client().fetchConsent(CONSENT_ID, { customerId: '9999999999@sandbox' });
  await assertWellFormedRequest(last(), '/Consent/fetch');
  assert.equal(last().body.consentId, CONSENT_ID);
  assert.equal(got.consentId, CONSENT_ID);
  assert.equal(got.status, 'ACTIVE');
  assert.equal(got.createTimestamp, at(-5 * MINUTE));
  assert.equal(got.signedConsent, signedConsent);
  assert.equal(got.digitalSignature, signedConsent.split('.')[2]);
  assert.deepEqual(got.detail, signedDetail());
  assert.deepEqual(got.detail.Accounts[0], { fiType: 'DEPOSIT', fipId: 'FIP-1', accType: 'SAVINGS', linkRefNumber: 'LRN-1', maskedAccNumber: 'XXXXXXXX4020' });
  assert.deepEqual(got.consentUse, { logUri: 'https://aa.example/consent-log', count: 0, lastUseDateTime: at(-5 * MINUTE) });
});

test('fetchConsent accepts the RFC 7797 form and the mislabelled ReBIT-example form', async () => {
  for (const make of [jws7797, jwsMislabelled]) {
    const signedConsent = make(JSON.stringify(signedDetail()), aaRsa.privateKey);
    reply = (r) => ({ body: artefactOk(r, signedConsent) });
    const got = await client().fetchConsent(CONSENT_ID);
    assert.equal(got.digitalSignature, signedConsent.split('.')[2]);
    assert.deepEqual(got.detail, signedDetail());
  }
});

test('fetchConsent checks a timestamp only when the AA sends one', async () => {
  reply = edited(artefactOk, (b) => (b.timestamp = NOW.toISOString()));
  assert.equal((await client().fetchConsent(CONSENT_ID)).status, 'ACTIVE');
  reply = edited(artefactOk, (b) => (b.timestamp = at(30 * MINUTE)));
  await rejected(client().fetchConsent(CONSENT_ID), 'TIMESTAMP');
});

const withDetail = (change: (d: any) => void) => {
  const d = signedDetail() as any;
  change(d);
  return jws7515(JSON.stringify(d), aaRsa.privateKey);
};
const fetchCases: [string, (r: Received) => Reply, AaRejectReason][] = [
  ['ver 3.0.0 (1031)', edited(artefactOk, (b) => (b.ver = '3.0.0')), 'VERSION'],
  ['another consentId (1033)', edited(artefactOk, (b) => (b.consentId = 'XXXX-XXXX-XXXX-XXXX')), 'CONSENT_ID_MISMATCH'],
  ['consentId missing', edited(artefactOk, (b) => delete b.consentId), 'SCHEMA'],
  ['another txnid', edited(artefactOk, (b) => (b.txnid = '0b811819-9044-4856-b0ee-8c88035f8858')), 'TXNID_MISMATCH'],
  ['an unknown status', edited(artefactOk, (b) => (b.status = 'READY')), 'SCHEMA'],
  ['createTimestamp not a date (1037)', edited(artefactOk, (b) => (b.createTimestamp = '26/06/2023')), 'CREATE_TIMESTAMP'],
  ['createTimestamp missing (1037)', edited(artefactOk, (b) => delete b.createTimestamp), 'CREATE_TIMESTAMP'],
  ['createTimestamp in the future (1037)', edited(artefactOk, (b) => (b.createTimestamp = at(60 * MINUTE))), 'CREATE_TIMESTAMP'],
  ['ConsentUse missing (1039)', edited(artefactOk, (b) => delete b.ConsentUse), 'CONSENT_USE_INVALID'],
  ['ConsentUse.count not a number (1039)', edited(artefactOk, (b) => (b.ConsentUse.count = 'once')), 'CONSENT_USE_INVALID'],
  ['ConsentUse.logUri empty (1039)', edited(artefactOk, (b) => (b.ConsentUse.logUri = '')), 'CONSENT_USE_INVALID'],
  ['ConsentUse.lastUseDateTime not a date (1039)', edited(artefactOk, (b) => (b.ConsentUse.lastUseDateTime = 'never')), 'CONSENT_USE_INVALID'],
  ['signedConsent missing (1038)', edited(artefactOk, (b) => delete b.signedConsent), 'SIGNED_CONSENT_INVALID'],
  ['signedConsent not a JWS (1038)', edited(artefactOk, (b) => (b.signedConsent = 'eyJhbGciOiJSUzI1NiJ9')), 'SIGNED_CONSENT_INVALID'],
  ['signedConsent with alg none (1038)', edited(artefactOk, (b) => (b.signedConsent = `${b64u('{"alg":"none"}')}.${b64u('{}')}.AAAA`)), 'SIGNED_CONSENT_INVALID'],
  ['signedConsent over a payload that is not JSON (1038)', (r) => ({ body: artefactOk(r, jws7515('consent', aaRsa.privateKey)) }), 'SIGNED_CONSENT_INVALID'],
  ['signedConsent without Accounts (1038)', (r) => ({ body: artefactOk(r, withDetail((d) => delete d.Accounts)) }), 'SIGNED_CONSENT_INVALID'],
  ['signedConsent with a wrong refUri (1038)', (r) => ({ body: artefactOk(r, withDetail((d) => (d.Purpose.refUri = 'https://example.com/103.xml'))) }), 'SIGNED_CONSENT_INVALID'],
  ['signedConsent for another FIU (1038)', (r) => ({ body: artefactOk(r, withDetail((d) => (d.DataConsumer.id = 'other-fiu'))) }), 'SIGNED_CONSENT_INVALID'],
  ["signedConsent signed with another AA's key (1040)", (r) => ({ body: artefactOk(r, jws7515(JSON.stringify(signedDetail()), otherAaRsa.privateKey)) }), 'SIGNED_CONSENT_SIGNATURE'],
  ["RFC 7797 signedConsent with another AA's key (1040)", (r) => ({ body: artefactOk(r, jws7797(JSON.stringify(signedDetail()), otherAaRsa.privateKey)) }), 'SIGNED_CONSENT_SIGNATURE'],
  ["another AA's response signature (1041)", (r) => ({ body: artefactOk(r), sign: 'other' }), 'SIGNATURE_INVALID'],
];
for (const [name, make, reason] of fetchCases) {
  test(`fetchConsent discards an answer with ${name}`, async () => {
    reply = make;
    await rejected(client().fetchConsent(CONSENT_ID), reason);
  });
}

test('fetchConsent discards a consent for another customer than expected', async () => {
  reply = (r) => ({ body: artefactOk(r) });
  await rejected(client().fetchConsent(CONSENT_ID, { customerId: '8888888888@sandbox' }), 'CUSTOMER_MISMATCH');
});

// ---- POST /FI/request ---------------------------------------------------------------------------------
const fiInput = () => ({
  consentId: CONSENT_ID,
  digitalSignature: 'c2lnbmF0dXJl',
  from: '2025-09-01' as CalendarDate,
  to: '2026-02-28' as CalendarDate,
  keyMaterial: fiuFi.keyMaterial,
});

test('requestFi sends the range, the consent and the key material (2001) and returns the session', async () => {
  reply = (r) => ({ body: fiRequestOk(r) });
  assert.deepEqual(await client().requestFi(fiInput()), { sessionId: SESSION_ID });
  const r = last();
  await assertWellFormedRequest(r, '/FI/request');
  assert.deepEqual(r.body.FIDataRange, { from: '2025-08-31T18:30:00.000Z', to: '2026-02-28T18:29:59.999Z' });
  assert.deepEqual(r.body.Consent, { id: CONSENT_ID, digitalSignature: 'c2lnbmF0dXJl' });
  assert.deepEqual(r.body.KeyMaterial, fiuFi.keyMaterial);
});

const fiRequestCases: [string, (r: Received) => Reply, AaRejectReason][] = [
  ['sessionId missing (2016)', edited(fiRequestOk, (b) => delete b.sessionId), 'SCHEMA'],
  ['sessionId empty (2016)', edited(fiRequestOk, (b) => (b.sessionId = ' ')), 'SCHEMA'],
  ['ver 2.1 (2017)', edited(fiRequestOk, (b) => (b.ver = '2.1')), 'VERSION'],
  ['timestamp an hour off (2018)', edited(fiRequestOk, (b) => (b.timestamp = at(60 * MINUTE))), 'TIMESTAMP'],
  ['another txnid (2019)', edited(fiRequestOk, (b) => (b.txnid = '0b811819-9044-4856-b0ee-8c88035f8858')), 'TXNID_MISMATCH'],
  ['another consentId (2020)', edited(fiRequestOk, (b) => (b.consentId = 'another-consent')), 'CONSENT_ID_MISMATCH'],
  ['no signature (2021)', (r) => ({ body: fiRequestOk(r), sign: 'none' }), 'SIGNATURE_MISSING'],
  ['body changed after signing (2021)', (r) => ({ body: fiRequestOk(r), tamper: true }), 'SIGNATURE_INVALID'],
];
for (const [name, make, reason] of fiRequestCases) {
  test(`requestFi discards an answer with ${name}`, async () => {
    reply = make;
    await rejected(client().requestFi(fiInput()), reason);
  });
}

// ---- POST /FI/fetch -----------------------------------------------------------------------------------
test('fetchFi returns the encrypted data per FIP (2010), which the FIU key opens', async () => {
  reply = (r) => ({ body: fiFetchOk(r) });
  const got = await client().fetchFi(SESSION_ID);
  await assertWellFormedRequest(last(), '/FI/fetch');
  assert.deepEqual(last().body.sessionId, SESSION_ID);
  assert.equal(last().body.fipId, undefined);
  assert.equal(got.state, 'ready');
  if (got.state !== 'ready') return;
  assert.equal(got.fi.length, 1);
  const [fip] = got.fi;
  assert.ok(fip);
  assert.equal(fip.fipId, 'FIP-1');
  assert.deepEqual(fip.accounts, [{ linkRefNumber: 'LRN-1', maskedAccNumber: 'XXXXXXXX4020', encryptedFI }]);
  const opened = decryptFi(fip.accounts[0]?.encryptedFI ?? '', fiuFi.privateKey, fiuFi.nonce, fip.keyMaterial);
  assert.equal(opened.toString('utf8'), DOCUMENT);
});

test('fetchFi names the FIP and accounts when asked, and takes a lower-case fipId', async () => {
  reply = edited(fiFetchOk, (b) => {
    b.FI[0].fipId = b.FI[0].fipID;
    delete b.FI[0].fipID;
  });
  const got = await client().fetchFi(SESSION_ID, { fipId: 'FIP-1', linkRefNumbers: ['LRN-1'] });
  assert.deepEqual(last().body.fipId, 'FIP-1');
  assert.deepEqual(last().body.linkRefNumber, [{ id: 'LRN-1' }]);
  assert.equal(got.state === 'ready' && got.fi[0]?.fipId, 'FIP-1');
});

test('fetchFi: 403 DataFetchRequestInProgress, signed or not, is pending; other 403s are errors', async () => {
  const inProgress = (r: Received) => ({ ...env(r), errorCode: 'DataFetchRequestInProgress', errorMsg: 'not yet' });
  reply = (r) => ({ status: 403, body: inProgress(r) });
  assert.deepEqual(await client().fetchFi(SESSION_ID), { state: 'pending' });
  reply = (r) => ({ status: 403, body: inProgress(r), sign: 'none' });
  assert.deepEqual(await client().fetchFi(SESSION_ID), { state: 'pending' });
  reply = (r) => ({ status: 403, body: { ...env(r), errorCode: 'ConsentRevoked', errorMsg: 'revoked' } });
  await assert.rejects(client().fetchFi(SESSION_ID), (e: unknown) => e instanceof AaErrorResponse && e.status === 403 && e.errorCode === 'ConsentRevoked');
});

const fiFetchCases: [string, (r: Received) => Reply, AaRejectReason][] = [
  ['ver 1.1.2 (2022)', edited(fiFetchOk, (b) => (b.ver = '1.1.2')), 'VERSION'],
  ['timestamp invalid (2023)', edited(fiFetchOk, (b) => (b.timestamp = 'now')), 'TIMESTAMP'],
  ['FI missing (2024)', edited(fiFetchOk, (b) => delete b.FI), 'FI_INVALID'],
  ['FI empty (2024)', edited(fiFetchOk, (b) => (b.FI = [])), 'FI_INVALID'],
  ['fipID missing (2024)', edited(fiFetchOk, (b) => delete b.FI[0].fipID), 'FI_INVALID'],
  ['data missing (2024)', edited(fiFetchOk, (b) => delete b.FI[0].data), 'FI_INVALID'],
  ['encryptedFI empty (2024)', edited(fiFetchOk, (b) => (b.FI[0].data[0].encryptedFI = '')), 'FI_INVALID'],
  ['encryptedFI not base64 (2024)', edited(fiFetchOk, (b) => (b.FI[0].data[0].encryptedFI = '<xml/>')), 'FI_INVALID'],
  ['maskedAccNumber missing (2024)', edited(fiFetchOk, (b) => delete b.FI[0].data[0].maskedAccNumber), 'FI_INVALID'],
  ['KeyMaterial missing (2025)', edited(fiFetchOk, (b) => delete b.FI[0].KeyMaterial), 'KEY_MATERIAL_INVALID'],
  ['a KeyValue that is no key (2025)', edited(fiFetchOk, (b) => (b.FI[0].KeyMaterial.DHPublicKey.KeyValue = 'abc')), 'KEY_MATERIAL_INVALID'],
  ['a UUID nonce (2025)', edited(fiFetchOk, (b) => (b.FI[0].KeyMaterial.Nonce = '29512b70-ca84-46b5-9471-63765599cf15')), 'KEY_MATERIAL_INVALID'],
  ['an unknown curve (2025)', edited(fiFetchOk, (b) => (b.FI[0].KeyMaterial.curve = 'secp256r1')), 'KEY_MATERIAL_INVALID'],
  ["another AA's signature (2026)", (r) => ({ body: fiFetchOk(r), sign: 'other' }), 'SIGNATURE_INVALID'],
  ['no signature (2026)', (r) => ({ body: fiFetchOk(r), sign: 'none' }), 'SIGNATURE_MISSING'],
];
for (const [name, make, reason] of fiFetchCases) {
  test(`fetchFi discards an answer with ${name}`, async () => {
    reply = make;
    await rejected(client().fetchFi(SESSION_ID), reason);
  });
}

test('fetchFi discards data about a FIP or account not asked about', async () => {
  reply = (r) => ({ body: fiFetchOk(r) });
  await rejected(client().fetchFi(SESSION_ID, { fipId: 'FIP-2' }), 'FI_INVALID');
  await rejected(client().fetchFi(SESSION_ID, { linkRefNumbers: ['LRN-2'] }), 'FI_INVALID');
});

// ---- GET /Heartbeat -----------------------------------------------------------------------------------
test('heartbeat: GET with the api key, a signed answer, UP or DOWN', async () => {
  reply = () => ({ body: { ver: '2.0.0', timestamp: NOW.toISOString(), Status: 'UP' } });
  assert.deepEqual(await client().heartbeat(), { status: 'UP', error: null });
  assert.equal(last().method, 'GET');
  assert.equal(last().path, '/V2/Heartbeat');
  assert.equal(last().headers['client_api_key'], API_KEY);
  reply = () => ({ body: { ver: '2.0.0', timestamp: NOW.toISOString(), Status: 'DOWN', Error: { code: 503, msg: 'maintenance' } } });
  assert.deepEqual(await client().heartbeat(), { status: 'DOWN', error: { code: 503, msg: 'maintenance', detail: null } });
  reply = () => ({ body: { ver: '1.0', timestamp: NOW.toISOString(), Status: 'UP' } });
  await rejected(client().heartbeat(), 'VERSION');
  reply = () => ({ body: { ver: '2.0.0', timestamp: NOW.toISOString(), Status: 'UP' }, sign: 'none' });
  await rejected(client().heartbeat(), 'SIGNATURE_MISSING');
  reply = () => ({ body: { ver: '2.0.0', timestamp: NOW.toISOString(), Status: 'SIDEWAYS' } });
  await rejected(client().heartbeat(), 'SCHEMA');
});

// ---- errors and transport -----------------------------------------------------------------------------
test('a signed non-2xx answer is an AaErrorResponse with verified:true', async () => {
  reply = (r) => ({ status: 400, body: { ...env(r), errorCode: 'InvalidConsentId', errorMsg: 'no such consent' } });
  await assert.rejects(client().fetchConsent(CONSENT_ID), (e: unknown) => {
    assert.ok(e instanceof AaErrorResponse);
    assert.equal(e.status, 400);
    assert.equal(e.errorCode, 'InvalidConsentId');
    assert.equal(e.errorMsg, 'no such consent');
    assert.equal(e.verified, true);
    assert.equal(e.endpoint, '/Consent/fetch');
    return true;
  });
});

test('an unsigned non-2xx answer (a gateway page) is an AaErrorResponse with verified:false', async () => {
  reply = () => ({ status: 503, text: '<html>Service Unavailable</html>', sign: 'none', headers: { 'content-type': 'text/html' } });
  await assert.rejects(client().consentStatus(HANDLE), (e: unknown) => {
    assert.ok(e instanceof AaErrorResponse);
    assert.deepEqual([e.status, e.errorCode, e.errorMsg, e.verified], [503, null, null, false]);
    return true;
  });
});

test('a non-2xx answer whose signature does not verify is discarded', async () => {
  reply = (r) => ({ status: 401, body: { ...env(r), errorCode: 'Unauthorized', errorMsg: 'bad key' }, sign: 'other' });
  await rejected(client().consentStatus(HANDLE), 'SIGNATURE_INVALID');
});

test('redirects are not followed', async () => {
  reply = () => ({ status: 302, text: '', sign: 'none', headers: { location: 'http://127.0.0.1:1/elsewhere' } });
  await assert.rejects(client().consentStatus(HANDLE), (e: unknown) => e instanceof AaErrorResponse && e.status === 302 && !e.verified);
});

test('no answer within timeoutMs is a TIMEOUT', async () => {
  reply = () => ({ hang: true });
  await assert.rejects(client({ timeoutMs: 150 }).consentStatus(HANDLE), (e: unknown) => {
    assert.ok(e instanceof AaTransportError);
    assert.equal(e.code, 'TIMEOUT');
    assert.ok(!e.message.includes(API_KEY));
    return true;
  });
});

test('a failed connection is a NETWORK error naming only the system code', async () => {
  const refused = Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:443 ${API_KEY}`), { code: 'ECONNREFUSED' });
  const failing = (async () => {
    throw new TypeError('fetch failed', { cause: refused });
  }) as typeof fetch;
  await assert.rejects(client({ fetch: failing }).consentStatus(HANDLE), (e: unknown) => {
    assert.ok(e instanceof AaTransportError);
    assert.equal(e.code, 'NETWORK');
    assert.match(e.message, /ECONNREFUSED/);
    assert.ok(!e.message.includes(API_KEY));
    return true;
  });
});

test('an answer over maxResponseBytes is refused, declared or streamed', async () => {
  reply = (r) => ({ body: fiFetchOk(r) });
  await assert.rejects(client({ maxResponseBytes: 200 }).fetchFi(SESSION_ID), (e: unknown) => e instanceof AaTransportError && e.code === 'RESPONSE_TOO_LARGE');
  reply = (r) => ({ body: fiFetchOk(r), chunked: true });
  await assert.rejects(client({ maxResponseBytes: 200 }).fetchFi(SESSION_ID), (e: unknown) => e instanceof AaTransportError && e.code === 'RESPONSE_TOO_LARGE');
  const got = await client().fetchFi(SESSION_ID);
  assert.equal(got.state, 'ready');
});

test('the client refuses empty ids and bad options before sending', async () => {
  const before = received.length;
  await assert.rejects(client().consentStatus(''), TypeError);
  await assert.rejects(client().fetchConsent('  '), TypeError);
  await assert.rejects(client().fetchFi(SESSION_ID, { linkRefNumbers: [] }), TypeError);
  assert.equal(received.length, before);
  assert.throws(() => client({ baseUrl: 'ftp://aa.example' }), TypeError);
  assert.throws(() => client({ apiKey: '' }), TypeError);
});
