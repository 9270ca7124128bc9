import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { test } from 'node:test';
import {
  aaErrorBody,
  aaOkBody,
  checkConsentNotification,
  checkFiNotification,
  signResponse,
  type NotificationCheck,
  type NotificationContext,
  type NotificationHeaders,
  type NotificationRefusalCode,
} from '../../src/aa/aa-notifications.ts';
import { isUuidV4 } from '../../src/aa/aa-messages.ts';
import { loadSigningKey, loadVerifyKey, signDetached, verifyDetached, type AaSigningKey } from '../../src/aa/aa-signature.ts';

const NOW = new Date('2026-03-10T10:00:00.000Z');
const MINUTE = 60_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

const AA_ID = 'sandbox-aa';
const AA_KEY = 'aa-api-key-of-the-sandbox-aa';
const OTHER_AA_KEY = 'aa-api-key-of-another-aa';
const TXNID = '0b811819-9044-4856-b0ee-8c88035f8858';

const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }).toString();
const aaRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherAaRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

// Top-level await rather than a top-level before(): scripts/run-tests.mjs runs several test files
// in one process, where a root hook registered after the first file's tests started never runs.
const aaSigning: AaSigningKey = await loadSigningKey(pem(aaRsa.privateKey, 'pkcs8'), { kid: 'aa-key' });
const otherAaSigning: AaSigningKey = await loadSigningKey(pem(otherAaRsa.privateKey, 'pkcs8'), { kid: 'aa-key' });
const ctx: NotificationContext = {
  aaId: AA_ID,
  expectedApiKey: AA_KEY,
  otherAaKeys: [OTHER_AA_KEY],
  aaPublicKey: await loadVerifyKey(pem(aaRsa.publicKey, 'spki'), { kid: 'aa-key' }),
  now: () => NOW,
};

const consentBody = () => ({
  ver: '2.0.0',
  timestamp: NOW.toISOString(),
  txnid: TXNID,
  Notifier: { type: 'AA', id: AA_ID },
  ConsentStatusNotification: { consentId: 'consent-1', consentHandle: 'handle-1', consentStatus: 'ACTIVE' },
});

const fiBody = () => ({
  ver: '2.0.0',
  timestamp: NOW.toISOString(),
  txnid: TXNID,
  Notifier: { type: 'AA', id: AA_ID },
  FIStatusNotification: {
    sessionId: 'session-1',
    sessionStatus: 'COMPLETED',
    FIStatusResponse: [
      {
        fipID: 'FIP-1',
        Accounts: [
          { linkRefNumber: 'LRN-1', FIStatus: 'READY', description: '' },
          { linkRefNumber: 'LRN-2', FIStatus: 'DENIED', description: 'customer declined' },
        ],
      },
    ],
  },
});

interface Sent {
  raw: Buffer;
  headers: NotificationHeaders;
}

/** A body as the AA sends it: serialised once, signed with the AA's key, with its api key. */
async function send(body: unknown, options: { signer?: AaSigningKey | null; apiKey?: string | null; raw?: string; tamper?: boolean } = {}): Promise<Sent> {
  const text = options.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signer = options.signer === undefined ? aaSigning : options.signer;
  if (signer) headers['x-jws-signature'] = await signDetached(text, signer);
  const apiKey = options.apiKey === undefined ? AA_KEY : options.apiKey;
  if (apiKey !== null) headers['aa_api_key'] = apiKey;
  return { raw: Buffer.from(options.tamper ? text.replace('"AA"', '"AA" ') : text), headers };
}

const refused = (result: NotificationCheck<unknown>, status: number, errorCode: NotificationRefusalCode) => {
  assert.equal(result.ok, false, 'expected a refusal');
  if (result.ok) return;
  assert.equal(result.errorCode, errorCode, result.errorMsg);
  assert.equal(result.status, status);
  for (const secret of [AA_KEY, OTHER_AA_KEY]) assert.ok(!result.errorMsg.includes(secret));
};

type Edit = (b: any) => void;

// ---- consent notifications ----------------------------------------------------------------------------
test('a valid consent notification is accepted (1004)', async () => {
  const { raw, headers } = await send(consentBody());
  const result = await checkConsentNotification(raw, headers, ctx);
  assert.deepEqual(result, {
    ok: true,
    notification: { txnid: TXNID, timestamp: NOW.toISOString(), consentHandle: 'handle-1', consentId: 'consent-1', consentStatus: 'ACTIVE' },
  });
});

test('a pending or rejected consent may come without its id; an empty id is no id', async () => {
  for (const [status, consentId] of [
    ['PENDING', ''],
    ['REJECTED', undefined],
  ] as const) {
    const body: any = consentBody();
    body.ConsentStatusNotification = { consentHandle: 'handle-1', consentStatus: status, ...(consentId === undefined ? {} : { consentId }) };
    const { raw, headers } = await send(body);
    const result = await checkConsentNotification(raw, headers, ctx);
    assert.ok(result.ok);
    assert.equal(result.notification.consentId, null);
    assert.equal(result.notification.consentStatus, status);
  }
});

test('the legacy `ConsentStatus` key is read, and a v1 txnid is taken', async () => {
  const body: any = consentBody();
  body.txnid = 'f35761ac-4a18-11e8-96ff-0277a9fbfedc';
  body.ConsentStatusNotification = { consentId: 'consent-1', ConsentStatus: 'PAUSED' };
  const { raw, headers } = await send(body);
  const result = await checkConsentNotification(raw, headers, ctx);
  assert.ok(result.ok);
  assert.deepEqual(result.notification, {
    txnid: 'f35761ac-4a18-11e8-96ff-0277a9fbfedc',
    timestamp: NOW.toISOString(),
    consentHandle: null,
    consentId: 'consent-1',
    consentStatus: 'PAUSED',
  });
});

test('a timestamp within 15 minutes and with any offset is accepted', async () => {
  for (const timestamp of [at(15 * MINUTE), at(-15 * MINUTE), '2026-03-10T15:30:00.000+05:30', '2026-03-10T10:00:00.000+0000']) {
    const { raw, headers } = await send({ ...consentBody(), timestamp });
    assert.ok((await checkConsentNotification(raw, headers, ctx)).ok, timestamp);
  }
});

test('the api key: missing or unknown → 401 (1042); another AA’s → 400 InvalidRequest (1043); "Bearer " is tolerated', async () => {
  for (const apiKey of [null, '', 'guess', `${AA_KEY}x`]) {
    const { raw, headers } = await send(consentBody(), { apiKey });
    refused(await checkConsentNotification(raw, headers, ctx), 401, 'Unauthorized');
  }
  const other = await send(consentBody(), { apiKey: OTHER_AA_KEY });
  refused(await checkConsentNotification(other.raw, other.headers, ctx), 400, 'InvalidRequest');
  const bearer = await send(consentBody(), { apiKey: `Bearer ${AA_KEY}` });
  assert.ok((await checkConsentNotification(bearer.raw, bearer.headers, ctx)).ok);
  const repeated = await send(consentBody());
  refused(await checkConsentNotification(repeated.raw, { ...repeated.headers, aa_api_key: [AA_KEY, AA_KEY] }, ctx), 401, 'Unauthorized');
  const misconfigured = await send(consentBody(), { apiKey: '' });
  refused(await checkConsentNotification(misconfigured.raw, misconfigured.headers, { ...ctx, expectedApiKey: '' }), 401, 'Unauthorized');
});

test('ver other than 2.0.0 → 404 NoSuchVersion (1013); a missing ver is a schema error', async () => {
  for (const ver of ['1.1.2', '2.1.0', 2]) {
    const { raw, headers } = await send({ ...consentBody(), ver });
    refused(await checkConsentNotification(raw, headers, ctx), 404, 'NoSuchVersion');
  }
  for (const ver of ['', undefined]) {
    const { raw, headers } = await send({ ...consentBody(), ver });
    refused(await checkConsentNotification(raw, headers, ctx), 400, 'InvalidRequest');
  }
});

const consentSchemaCases: [string, Edit][] = [
  ['timestamp 16 minutes late (1010)', (b) => (b.timestamp = at(16 * MINUTE))],
  ['timestamp 16 minutes early (1010)', (b) => (b.timestamp = at(-16 * MINUTE))],
  ['timestamp not a date-time (1014)', (b) => (b.timestamp = '10-03-2026 10:00')],
  ['timestamp without an offset (1014)', (b) => (b.timestamp = '2026-03-10T10:00:00')],
  ['timestamp missing (1009)', (b) => delete b.timestamp],
  ['txnid missing (1009)', (b) => delete b.txnid],
  ['txnid not a UUID (1009)', (b) => (b.txnid = 'txn-1')],
  ['Notifier missing (1009)', (b) => delete b.Notifier],
  ['Notifier.id empty (1009)', (b) => (b.Notifier.id = '')],
  ['Notifier.type missing (1009)', (b) => delete b.Notifier.type],
  ['ConsentStatusNotification missing (1009)', (b) => delete b.ConsentStatusNotification],
  ['ConsentStatusNotification an array (1009)', (b) => (b.ConsentStatusNotification = [])],
  ['consentStatus missing (1009)', (b) => delete b.ConsentStatusNotification.consentStatus],
  ['consentStatus not in the enum (1009)', (b) => (b.ConsentStatusNotification.consentStatus = 'READY')],
  ['consentStatus lower case (1009)', (b) => (b.ConsentStatusNotification.consentStatus = 'active')],
  ['consentId a number (1009)', (b) => (b.ConsentStatusNotification.consentId = 7)],
  ['ACTIVE without a consentId (1009)', (b) => delete b.ConsentStatusNotification.consentId],
  ['neither id nor handle (1009)', (b) => (b.ConsentStatusNotification = { consentStatus: 'EXPIRED' })],
];
for (const [name, edit] of consentSchemaCases) {
  test(`consent notification with ${name} → 400 InvalidRequest`, async () => {
    const body: any = consentBody();
    edit(body);
    const { raw, headers } = await send(body);
    const result = await checkConsentNotification(raw, headers, ctx);
    refused(result, 400, 'InvalidRequest');
  });
}

test('a body that is not a JSON object → 400 InvalidRequest with no txnid to echo', async () => {
  for (const text of ['{"ver":', '[]', '"2.0.0"', '']) {
    const { raw, headers } = await send(null, { raw: text });
    const result = await checkConsentNotification(raw, headers, ctx);
    refused(result, 400, 'InvalidRequest');
    assert.equal(!result.ok && result.txnid, null);
  }
  const invalidUtf8 = await send(null, { raw: 'x' });
  refused(await checkConsentNotification(Buffer.from([0x7b, 0xff, 0x7d]), invalidUtf8.headers, ctx), 400, 'InvalidRequest');
});

test('a bad JWS → 400 SignatureDoesNotMatch (1036): missing, another key, changed body', async () => {
  for (const options of [{ signer: null }, { signer: otherAaSigning }, { tamper: true }]) {
    const { raw, headers } = await send(consentBody(), options);
    const result = await checkConsentNotification(raw, headers, ctx);
    refused(result, 400, 'SignatureDoesNotMatch');
    assert.equal(!result.ok && result.txnid, TXNID);
  }
});

test('another AA’s id (1005) or a FIP notifier (1006) → 400 InvalidNotifier', async () => {
  for (const notifier of [
    { type: 'AA', id: 'another-aa' },
    { type: 'FIP', id: AA_ID },
    { type: 'aa', id: AA_ID },
  ]) {
    const { raw, headers } = await send({ ...consentBody(), Notifier: notifier });
    refused(await checkConsentNotification(raw, headers, ctx), 400, 'InvalidNotifier');
  }
});

test('order: api key before syntax, version before schema, schema before signature, signature before notifier', async () => {
  const junk = await send(null, { raw: 'not json', apiKey: 'guess' });
  refused(await checkConsentNotification(junk.raw, junk.headers, ctx), 401, 'Unauthorized');
  const oldAndBroken = await send({ ver: '1.1.2' });
  refused(await checkConsentNotification(oldAndBroken.raw, oldAndBroken.headers, ctx), 404, 'NoSuchVersion');
  const brokenAndUnsigned = await send({ ...consentBody(), timestamp: 'x' }, { signer: null });
  refused(await checkConsentNotification(brokenAndUnsigned.raw, brokenAndUnsigned.headers, ctx), 400, 'InvalidRequest');
  const foreignAndUnsigned = await send({ ...consentBody(), Notifier: { type: 'AA', id: 'another-aa' } }, { signer: null });
  refused(await checkConsentNotification(foreignAndUnsigned.raw, foreignAndUnsigned.headers, ctx), 400, 'SignatureDoesNotMatch');
});

test('a refusal echoes the request’s txnid when it has one', async () => {
  const { raw, headers } = await send({ ...consentBody(), timestamp: at(60 * MINUTE) });
  const result = await checkConsentNotification(raw, headers, ctx);
  assert.equal(!result.ok && result.txnid, TXNID);
});

// ---- FI notifications ---------------------------------------------------------------------------------
test('a valid FI notification is accepted (2002)', async () => {
  const { raw, headers } = await send(fiBody());
  assert.deepEqual(await checkFiNotification(raw, headers, ctx), {
    ok: true,
    notification: {
      txnid: TXNID,
      timestamp: NOW.toISOString(),
      sessionId: 'session-1',
      sessionStatus: 'COMPLETED',
      fips: [
        {
          fipId: 'FIP-1',
          accounts: [
            { linkRefNumber: 'LRN-1', fiStatus: 'READY', description: '' },
            { linkRefNumber: 'LRN-2', fiStatus: 'DENIED', description: 'customer declined' },
          ],
        },
      ],
    },
  });
});

test('FI notification: a missing description is read as empty; every session status is taken', async () => {
  for (const sessionStatus of ['ACTIVE', 'EXPIRED', 'FAILED']) {
    const body: any = fiBody();
    body.FIStatusNotification.sessionStatus = sessionStatus;
    delete body.FIStatusNotification.FIStatusResponse[0].Accounts[0].description;
    const { raw, headers } = await send(body);
    const result = await checkFiNotification(raw, headers, ctx);
    assert.ok(result.ok);
    assert.equal(result.notification.sessionStatus, sessionStatus);
    assert.equal(result.notification.fips[0]?.accounts[0]?.description, '');
  }
});

test('FI notification: bad ver → 404 NoSuchVersion (2003)', async () => {
  const { raw, headers } = await send({ ...fiBody(), ver: '1.1.3' });
  refused(await checkFiNotification(raw, headers, ctx), 404, 'NoSuchVersion');
});

const fiSchemaCases: [string, Edit][] = [
  ['txnid not a UUID (2007)', (b) => (b.txnid = '12345')],
  ['txnid empty (2007)', (b) => (b.txnid = '')],
  ['timestamp 20 minutes off (2008)', (b) => (b.timestamp = at(-20 * MINUTE))],
  ['timestamp invalid (2008)', (b) => (b.timestamp = '2026-13-01T00:00:00Z')],
  ['FIStatusNotification missing (2006)', (b) => delete b.FIStatusNotification],
  ['sessionId missing (2006)', (b) => delete b.FIStatusNotification.sessionId],
  ['sessionId empty (2006)', (b) => (b.FIStatusNotification.sessionId = '')],
  ['sessionStatus not in the enum (2006)', (b) => (b.FIStatusNotification.sessionStatus = 'PARTIAL')],
  ['FIStatusResponse missing (2006)', (b) => delete b.FIStatusNotification.FIStatusResponse],
  ['FIStatusResponse an object (2006)', (b) => (b.FIStatusNotification.FIStatusResponse = {})],
  ['fipID missing (2006)', (b) => delete b.FIStatusNotification.FIStatusResponse[0].fipID],
  ['Accounts missing (2006)', (b) => delete b.FIStatusNotification.FIStatusResponse[0].Accounts],
  ['linkRefNumber missing (2006)', (b) => delete b.FIStatusNotification.FIStatusResponse[0].Accounts[0].linkRefNumber],
  ['FIStatus not in the enum (2006)', (b) => (b.FIStatusNotification.FIStatusResponse[0].Accounts[0].FIStatus = 'DONE')],
  ['description a number (2006)', (b) => (b.FIStatusNotification.FIStatusResponse[0].Accounts[0].description = 0)],
  ['Notifier missing (2006)', (b) => delete b.Notifier],
];
for (const [name, edit] of fiSchemaCases) {
  test(`FI notification with ${name} → 400 InvalidRequest`, async () => {
    const body: any = fiBody();
    edit(body);
    const { raw, headers } = await send(body);
    refused(await checkFiNotification(raw, headers, ctx), 400, 'InvalidRequest');
  });
}

test('FI notification: another AA’s id (2005, 2009) or a notifier that is not an AA (2012) → 400 InvalidRequest', async () => {
  for (const notifier of [
    { type: 'AA', id: 'another-aa' },
    { type: 'FIP', id: AA_ID },
  ]) {
    const { raw, headers } = await send({ ...fiBody(), Notifier: notifier });
    refused(await checkFiNotification(raw, headers, ctx), 400, 'InvalidRequest');
  }
});

test('FI notification: bad JWS → 400 SignatureDoesNotMatch (2027)', async () => {
  for (const options of [{ signer: null }, { signer: otherAaSigning }, { tamper: true }]) {
    const { raw, headers } = await send(fiBody(), options);
    refused(await checkFiNotification(raw, headers, ctx), 400, 'SignatureDoesNotMatch');
  }
});

test('FI notification: bad api key → 401 (2028); another AA’s → 400 InvalidRequest (2029)', async () => {
  const bad = await send(fiBody(), { apiKey: 'nope' });
  refused(await checkFiNotification(bad.raw, bad.headers, ctx), 401, 'Unauthorized');
  const other = await send(fiBody(), { apiKey: OTHER_AA_KEY });
  refused(await checkFiNotification(other.raw, other.headers, ctx), 400, 'InvalidRequest');
});

test('the raw body is what is verified: the same JSON re-serialised does not pass', async () => {
  const { raw, headers } = await send(fiBody());
  const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8')), null, 1));
  refused(await checkFiNotification(reserialised, headers, ctx), 400, 'SignatureDoesNotMatch');
  assert.ok((await checkFiNotification(raw.toString('utf8'), headers, ctx)).ok);
});

// ---- answers ------------------------------------------------------------------------------------------
test('aaOkBody and aaErrorBody are the ReBIT shapes', () => {
  assert.deepEqual(aaOkBody({ txnid: TXNID, now: NOW }), { ver: '2.0.0', timestamp: NOW.toISOString(), txnid: TXNID, response: 'OK' });
  assert.deepEqual(aaErrorBody({ txnid: TXNID, errorCode: 'InvalidConsentId', errorMsg: 'unknown consent', now: NOW }), {
    ver: '2.0.0',
    timestamp: NOW.toISOString(),
    txnid: TXNID,
    errorCode: 'InvalidConsentId',
    errorMsg: 'unknown consent',
  });
  const fresh = aaErrorBody({ txnid: null, errorCode: 'InvalidRequest', errorMsg: 'x', now: NOW });
  assert.ok(isUuidV4(fresh.txnid));
});

test('signResponse serialises once and signs those bytes', async () => {
  const body = aaOkBody({ txnid: TXNID, now: NOW });
  const { text, signature } = await signResponse(body, aaSigning);
  assert.equal(text, JSON.stringify(body));
  await verifyDetached(signature, text, ctx.aaPublicKey);
  await assert.rejects(verifyDetached(signature, `${text} `, ctx.aaPublicKey));
});
