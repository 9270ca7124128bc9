/**
 * Session API v2 (`POST /bank-connect/v2/session/`, docs/session-api.md "Session API v2"): v1's
 * rules and errors, journey codes and consents, `bank`, the signed journey token and the journey
 * refusing a v2 session without it, on both stores.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import type { Client } from '../../src/domain/client.ts';
import { aaRepository } from '../../src/store/repositories/aa-repository.ts';
import { readConsoleSession } from '../../src/usecases/console-sessions.ts';
import { body, buildTestApp, forEachStore, until, type TestApp } from '../helper.ts';
import { FIELD_CASES, long, type Case } from './session-create-cases.ts';

// 2026-11-21 11:30 in India: "today" for default date ranges.
const NOW = new Date('2026-11-21T06:00:00Z');
const V2 = '/bank-connect/v2/session/';
const V1 = '/bank-connect/v1/session/';
const aa = { mode: 'aa', bank_name: 'hdfc' };

/** v1's cases without v1's own AA parameters, which v2 does not have. */
const SHARED_CASES = FIELD_CASES.filter((c) => !Object.keys(c.payload).some((k) => k.startsWith('aa_')));

const V2_CASES: Case[] = [
  { name: 'unknown journey code', payload: { ...aa, aa_journey_code: 'BCAA009' }, status: 400, code: 'INVALID_REQUEST', message: 'aa_journey_code, "BCAA009" is not a valid choice.' },
  { name: 'journey code not a string', payload: { ...aa, aa_journey_code: 1 }, status: 400, code: 'INVALID_REQUEST', message: 'aa_journey_code, "1" is not a valid choice.' },
  { name: 'bank too long', payload: { bank: long(51) }, status: 400, code: 'INVALID_REQUEST', message: 'bank, Ensure this field has no more than 50 characters.' },
  { name: 'consents a list', payload: { ...aa, consents: [1] }, status: 400, code: 'INVALID_REQUEST', message: 'consents, Expected an object keyed by CC0001, CC0002, CC0003, CC0004, CC0005, CC0006, CC0007.' },
  { name: 'consents text that is not JSON', payload: { ...aa, consents: 'CC0001' }, status: 400, code: 'INVALID_REQUEST' },
  { name: 'a consent not an object', payload: { ...aa, consents: { CC0001: '01/01/2026' } }, status: 400, code: 'INVALID_REQUEST', message: 'consents.CC0001, Expected an object with from_date, to_date, consent_expiry.' },
  { name: 'a consent date not text', payload: { ...aa, consents: { CC0001: { from_date: { d: 1 } } } }, status: 400, code: 'INVALID_REQUEST', message: 'consents.CC0001.from_date, Not a valid string.' },
  // Banks and modes
  { name: 'bank and bank_name differ', payload: { bank: 'HDFC', bank_name: 'icici' }, status: 400, code: 'INVALID_REQUEST', message: 'bank, `bank` and `bank_name` name different banks; send one of them.' },
  { name: 'unknown bank as bank', payload: { bank: 'nosuchbank' }, status: 400, code: 'INVALID_BANK_NAME', message: 'Invalid bank identifier.' },
  { name: 'journey code with mode aa but no bank', payload: { mode: 'aa', aa_journey_code: 'BCAA001' }, status: 400, code: 'MISSING_BANK_NAME' },
  { name: 'journey code and a bank without AA', payload: { bank: 'sbi', aa_journey_code: 'BCAA002' }, status: 400, code: 'MODE_NOT_AVAILABLE' },
  // Account Aggregator
  { name: 'journey code with mode pdf', payload: { mode: 'pdf', bank_name: 'hdfc', aa_journey_code: 'BCAA001' }, status: 400, code: 'MISSING_AA_PARAMETER', message: '`bank_name` and `mode` required' },
  { name: 'consents with mode online', payload: { mode: 'online', bank_name: 'hdfc', consents: { CC0001: {} } }, status: 400, code: 'MISSING_AA_PARAMETER' },
  { name: "another journey code's consent", payload: { ...aa, consents: { CC0002: { from_date: '01/01/2026' } } }, status: 400, code: 'INVALID_AA_PARAMETER', message: 'consents, "CC0002" is not a consent of BCAA001 (CC0001).' },
  { name: 'an unknown consent code', payload: { ...aa, aa_journey_code: 'BCAA004', consents: { CC9999: {} } }, status: 400, code: 'INVALID_AA_PARAMETER', message: 'consents, "CC9999" is not a consent of BCAA004 (CC0005, CC0006, CC0007).' },
  { name: 'consent date ISO', payload: { ...aa, consents: { CC0001: { from_date: '2026-01-01' } } }, status: 400, code: 'INVALID_DATE_FORMAT', message: 'Invalid `consents.CC0001.from_date` format. Use `DD/MM/YYYY`.' },
  { name: 'consent expiry not a real day', payload: { ...aa, aa_journey_code: 'BCAA002', consents: { CC0002: { consent_expiry: '31/02/2027' } } }, status: 400, code: 'INVALID_DATE_FORMAT', message: 'Invalid `consents.CC0002.consent_expiry` format. Use `DD/MM/YYYY`.' },
  { name: 'consent range reversed', payload: { ...aa, consents: { CC0001: { from_date: '01/12/2026', to_date: '01/11/2026' } } }, status: 400, code: 'INVALID_DATE_RANGE', message: '`consents.CC0001.from_date` cannot be greater or equal to `consents.CC0001.to_date`.' },
  { name: 'consent from after the default to', payload: { ...aa, consents: { CC0001: { from_date: '22/11/2026' } } }, status: 400, code: 'INVALID_DATE_RANGE' },
  { name: 'consent expired already', payload: { ...aa, consents: { CC0001: { consent_expiry: '20/11/2026' } } }, status: 400, code: 'INVALID_AA_PARAMETER', message: '`consents.CC0001.consent_expiry` cannot be before today.' },
];

async function post(app: TestApp, payload: unknown, headers: Record<string, string> = {}, url = V2) {
  return app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });
}

/** What the journey token should be, computed as docs/session-api.md says, from the stored key. */
async function expectedToken(app: TestApp, sessionId: string): Promise<string> {
  const [row] = await app.db.query<{ value: string }>("select value from settings where key = 'download_link_key'");
  return createHmac('sha256', row!.value).update(`passbook.journey-token.v1\u0000${sessionId}`).digest('base64url');
}

const oneTime = (from: string, to: string, expiry: string) => ({ template: 'CT001', kind: 'one_time', from_date: from, to_date: to, consent_expiry: expiry, fetched_by_passbook: true });
const periodic = (from: string, to: string, expiry: string) => ({ template: 'CT003', kind: 'periodic', from_date: from, to_date: to, consent_expiry: expiry, fetched_by_passbook: true });
// Defaults on 21/11/2026 for a session from 21/05/2026 to 21/11/2026 that expires on 22/11/2026.
const DEFAULT_ONCE = oneTime('21/05/2026', '21/11/2026', '23/11/2026');
const DEFAULT_PERIODIC = periodic('21/05/2026', '21/11/2027', '21/11/2027');
const RECURRING_DEFAULTS = { recurring_tenure_month: 12, recurring_frequency_unit: 'month', recurring_frequency_value: 1 };
const NOT_RECURRING = { recurring_tenure_month: null, recurring_frequency_unit: null, recurring_frequency_value: null };

forEachStore((kind) => {
  test('v2 answers every v1 field rule, and its own, with the same code, status and message', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey } = await app.client();
    assert.ok(SHARED_CASES.length > 50, 'most of v1 rules are shared');
    for (const c of [...SHARED_CASES, ...V2_CASES]) {
      await t.test(c.name, async () => {
        const payload: Record<string, unknown> = { link_id: 'user-1', ...c.payload, api_key: apiKey };
        if (c.name === 'link_id missing') delete payload.link_id;
        const res = await post(app, payload);
        assert.equal(res.statusCode, c.status, res.body);
        const err = body(res).error;
        assert.equal(err.code, c.code, res.body);
        if (c.message) assert.equal(err.message, c.message);
        assert.deepEqual(Object.keys(body(res)), ['error']);
      });
    }
    const count = await app.db.query<{ n: bigint }>('select count(*) as n from sessions');
    assert.equal(count[0]!.n, 0n, 'no refused request stored a session');
  });

  test('v2 authentication: api_key in the body or the x-api-key header; 401, 402, 403 as v1', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const active = await app.client();
    const expired = await app.client({ name: 'late payer', planStatus: 'expired' });
    const pdfOnly = await app.client({ name: 'pdf only', enabledModes: ['pdf'] });

    assert.deepEqual(body(await post(app, { link_id: 'u' })), { error: { code: 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED', message: 'Authentication credentials were not provided' } });
    assert.equal((await post(app, { link_id: 'u', api_key: 'pbk_wrong' })).statusCode, 401);
    assert.equal((await post(app, { link_id: 'u' }, { 'X-Api-Key': 'nope' })).statusCode, 401);

    const inBody = await post(app, { link_id: 'u', api_key: active.apiKey });
    assert.equal(inBody.statusCode, 200, inBody.body);
    const inHeader = await post(app, { link_id: 'u' }, { 'X-Api-Key': active.apiKey });
    assert.equal(inHeader.statusCode, 200, inHeader.body);
    assert.notEqual(body(inBody).session_id, body(inHeader).session_id);

    const late = await post(app, { link_id: 'u', api_key: expired.apiKey });
    assert.deepEqual([late.statusCode, body(late)], [402, { error: { code: 'PAYMENT_REQUIRED', message: 'Payment required' } }]);
    // A journey code with a bank means AA, which this client does not have.
    const notEnabled = await post(app, { link_id: 'u', bank: 'hdfc', aa_journey_code: 'BCAA001', api_key: pdfOnly.apiKey });
    assert.deepEqual([notEnabled.statusCode, body(notEnabled)], [403, { error: { code: 'MODE_NOT_ENABLED', message: 'Specified mode not enabled. Contact FinBox Admin.' } }]);
    assert.equal((await post(app, { link_id: 'u', bank: 'hdfc', mode: 'pdf', api_key: pdfOnly.apiKey })).statusCode, 200);
  });

  test('v2 HTTP-level refusals are v1 ones', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await app.inject({ method, url: V2 });
      assert.deepEqual([res.statusCode, body(res)], [405, { error: { code: 'METHOD_NOT_ALLOWED', message: `Method "${method}" not allowed.` } }]);
    }
    const text = await app.inject({ method: 'POST', url: V2, headers: { 'content-type': 'text/plain' }, payload: 'link_id=u' });
    assert.equal(text.statusCode, 415);
    const malformed = await app.inject({ method: 'POST', url: V2, headers: { 'content-type': 'application/json' }, payload: '{"link_id": ' });
    assert.equal(body(malformed).error.code, 'INVALID_REQUEST');
  });

  test('journey codes: BCAA001 by default, BCAA002 periodic, BCAA003 both, BCAA004 with a stored collections consent', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey, serverHash } = await app.client();
    const details = async (payload: Record<string, unknown>) => {
      const res = await post(app, { link_id: 'u', ...payload, api_key: apiKey });
      assert.equal(res.statusCode, 200, res.body);
      const got = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${body(res).session_id}/details/`, headers: { 'x-api-key': apiKey, 'server-hash': serverHash } });
      assert.equal(got.statusCode, 200, got.body);
      return body(got);
    };

    const plain = await details({});
    assert.equal(plain.api_version, 2);
    assert.equal(plain.mode, null);
    // No mode: the user may still pick AA in the journey, and BCAA001's consent is then the one asked for.
    assert.deepEqual(plain.aa, { journey_mode: 'only_once', ...NOT_RECURRING, journey_code: 'BCAA001', consents: { CC0001: DEFAULT_ONCE } });
    assert.equal((await details({ bank_name: 'hdfc', mode: 'pdf' })).aa, null);

    const once = await details(aa);
    assert.equal(once.mode, 'aa');
    assert.deepEqual(once.aa, plain.aa);
    assert.deepEqual((await details({ ...aa, aa_journey_code: 'BCAA001' })).aa, plain.aa);
    // v1's AA parameters are not v2's: ignored, like any unknown parameter.
    assert.deepEqual((await details({ ...aa, aa_journey_mode: 'only_recurring', aa_recurring_frequency_unit: 'day', aa_recurring_frequency_value: 2 })).aa, plain.aa);

    const recurring = await details({ ...aa, aa_journey_code: 'BCAA002' });
    assert.deepEqual(recurring.aa, { journey_mode: 'only_recurring', ...RECURRING_DEFAULTS, journey_code: 'BCAA002', consents: { CC0002: DEFAULT_PERIODIC } });
    // Journey codes in any case.
    assert.deepEqual((await details({ ...aa, aa_journey_code: ' bcaa002 ' })).aa, recurring.aa);

    const both = await details({ ...aa, aa_journey_code: 'BCAA003' });
    assert.deepEqual(both.aa, { journey_mode: 'once_with_recurring', ...RECURRING_DEFAULTS, journey_code: 'BCAA003', consents: { CC0003: DEFAULT_ONCE, CC0004: DEFAULT_PERIODIC } });

    const collections = await details({ ...aa, aa_journey_code: 'BCAA004' });
    assert.deepEqual(collections.aa, {
      journey_mode: 'once_with_recurring',
      ...RECURRING_DEFAULTS,
      journey_code: 'BCAA004',
      consents: {
        CC0005: DEFAULT_ONCE,
        CC0006: DEFAULT_PERIODIC,
        CC0007: { template: 'CT035', kind: 'collections', from_date: '21/05/2026', to_date: '21/11/2027', consent_expiry: '21/11/2027', fetched_by_passbook: false },
      },
    });

    // The session's own AA rules still apply: from_date clamped to 14 months before to_date.
    const clamped = await details({ ...aa, from_date: '01/01/2024', to_date: '20/11/2026' });
    assert.equal(clamped.from_date, '20/09/2025');
    assert.deepEqual(clamped.aa.consents.CC0001, oneTime('20/09/2025', '20/11/2026', '23/11/2026'));
    // A longer session: the one-time consent lasts until the day after it expires.
    assert.equal((await details({ ...aa, session_expiry: 43200 })).aa.consents.CC0001.consent_expiry, '22/12/2026');
  });

  test('consents override the generated dates, field by field, within the AA bounds', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey, serverHash } = await app.client();
    const details = async (payload: Record<string, unknown>) => {
      const res = await post(app, { link_id: 'u', ...payload, api_key: apiKey });
      assert.equal(res.statusCode, 200, res.body);
      const got = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${body(res).session_id}/details/`, headers: { 'x-api-key': apiKey, 'server-hash': serverHash } });
      return body(got);
    };

    // V2 scenario 3: the request's dates over the generated ones; consent_expiry stays generated.
    const scenario = await details({ ...aa, consents: { CC0001: { from_date: '01/10/2025', to_date: '09/11/2026' } } });
    assert.deepEqual(scenario.aa.consents, { CC0001: oneTime('01/10/2025', '09/11/2026', '23/11/2026') });
    // The session's range is its own: the consent changes what the AA is asked for.
    assert.deepEqual([scenario.from_date, scenario.to_date], ['21/05/2026', '21/11/2026']);

    const both = await details({
      ...aa,
      aa_journey_code: 'BCAA003',
      consents: { CC0003: { to_date: '31/10/2026', consent_expiry: '30/11/2026', ignored: 'x' }, CC0004: { from_date: '01/01/2026', consent_expiry: '21/11/2028' } },
    });
    assert.deepEqual(both.aa.consents, { CC0003: oneTime('21/05/2026', '31/10/2026', '30/11/2026'), CC0004: periodic('01/01/2026', '21/11/2027', '21/11/2028') });
    // The periodic consent's expiry sets the tenure.
    assert.equal(both.aa.recurring_tenure_month, 24);

    // Moved up, not refused, as v1 does: 14 months of history, 60 months of tenure.
    const bounded = await details({ ...aa, aa_journey_code: 'BCAA002', consents: { CC0002: { from_date: '01/01/2020', to_date: '01/01/2040', consent_expiry: '01/01/2040' } } });
    assert.deepEqual(bounded.aa.consents.CC0002, periodic('21/09/2025', '01/01/2040', '21/11/2031'));
    assert.equal(bounded.aa.recurring_tenure_month, 60);
    const old = await details({ ...aa, consents: { CC0001: { from_date: '01/01/2020', to_date: '30/06/2026' } } });
    assert.equal(old.aa.consents.CC0001.from_date, '30/04/2025');
    // An expiry today is still good (a consent lasts to the end of its day); a short one, a tenure of one month.
    const short = await details({ ...aa, aa_journey_code: 'BCAA002', consents: { CC0002: { consent_expiry: '21/11/2026' } } });
    assert.equal(short.aa.consents.CC0002.consent_expiry, '21/11/2026');
    assert.equal(short.aa.recurring_tenure_month, 1);

    // Form bodies send consents as JSON text; blank dates count as not sent.
    const form = await app.inject({
      method: 'POST',
      url: V2,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ link_id: 'form', api_key: apiKey, bank: 'HDFC', aa_journey_code: 'BCAA001', consents: '{"CC0001": {"from_date": "01/10/2025", "to_date": " "}}' }).toString(),
    });
    assert.equal(form.statusCode, 200, form.body);
    const read = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${body(form).session_id}/details/`, headers: { 'x-api-key': apiKey, 'server-hash': serverHash } }));
    assert.equal(read.mode, 'aa');
    assert.deepEqual(read.aa.consents.CC0001, oneTime('01/10/2025', '21/11/2026', '23/11/2026'));
  });

  test('bank is bank_name; with a journey code and no mode it means AA (V2 scenario 2)', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey, serverHash } = await app.client();
    const details = async (payload: Record<string, unknown>) => {
      const res = await post(app, { link_id: 'u', ...payload, api_key: apiKey });
      assert.equal(res.statusCode, 200, res.body);
      return body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${body(res).session_id}/details/`, headers: { 'x-api-key': apiKey, 'server-hash': serverHash } }));
    };
    const byAlias = await details({ bank: 'HDFC' });
    assert.deepEqual([byAlias.bank_name, byAlias.mode], ['hdfc', null]);
    const same = await details({ bank: 'HDFC', bank_name: 'hdfc', mode: 'pdf' });
    assert.deepEqual([same.bank_name, same.mode], ['hdfc', 'pdf']);
    const scenario = await details({ bank: 'HDFC', aa_journey_code: 'BCAA002' });
    assert.deepEqual([scenario.bank_name, scenario.mode, scenario.aa.journey_code], ['hdfc', 'aa', 'BCAA002']);
    // Without a bank the mode stays open: the user picks bank and mode in the journey.
    const open = await details({ aa_journey_code: 'BCAA003' });
    assert.deepEqual([open.bank_name, open.mode, open.aa.journey_code], [null, null, 'BCAA003']);
  });

  test('redirect_url carries the signed token; the journey opens a v2 session only with it, a v1 session without', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const c = await app.client();
    const created = await post(app, { link_id: 'u', api_key: c.apiKey });
    const { session_id: sid, redirect_url: redirect } = body(created);
    assert.deepEqual(Object.keys(body(created)), ['session_id', 'redirect_url']);
    const token = await expectedToken(app, sid);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(redirect, `https://journey.passbook.test/?session_id=${sid}&token=${token}`);

    const journey = (query: string) => app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}${query}` });
    const opened = await journey(`?token=${token}`);
    assert.equal(opened.statusCode, 200, opened.body);
    assert.equal(body(opened).session_id, sid);

    const other = body(await post(app, { link_id: 'v', api_key: c.apiKey }));
    const otherToken = new URL(other.redirect_url).searchParams.get('token')!;
    const forged = [...token].reverse().join('');
    for (const query of ['', '?token=', `?token=${forged}`, `?token=${otherToken}`, `?token=${token}x`, `?token=${token.slice(0, -1)}`, `?token=${token}&token=${token}`]) {
      const refused = await journey(query);
      assert.equal(refused.statusCode, 404, `${query} → ${refused.body}`);
      // The journey page shows "This link is not valid" for a 404.
      assert.deepEqual(body(refused), { error: { code: 'SESSION_NOT_FOUND', message: 'This link is not valid: a Session API v2 journey link needs its token.' } });
    }
    // The lender's console shows the link with its token.
    assert.equal((await readConsoleSession(app.deps, { clientId: c.clientId } as Client, sid)).journeyUrl, redirect);

    // v1: no token in the link, none needed, and one sent is ignored.
    const v1 = body(await post(app, { link_id: 'u', api_key: c.apiKey }, {}, V1));
    assert.equal(v1.redirect_url, `https://journey.passbook.test/?session_id=${v1.session_id}`);
    assert.equal((await app.inject({ method: 'GET', url: `/journey/api/sessions/${v1.session_id}` })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: `/journey/api/sessions/${v1.session_id}?token=junk` })).statusCode, 200);
    assert.equal((await readConsoleSession(app.deps, { clientId: c.clientId } as Client, v1.session_id)).journeyUrl, v1.redirect_url);
    // An unknown session is refused the same way as before.
    assert.equal((await app.inject({ method: 'GET', url: `/journey/api/sessions/00000000-0000-4000-8000-000000000000?token=${token}` })).statusCode, 404);
  });

  test('v2 Idempotency-Key: replays the tokened link, refuses another body, and is kept apart from v1', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey } = await app.client();
    const payload = { link_id: 'idem', bank: 'hdfc', aa_journey_code: 'BCAA002', consents: { CC0002: { consent_expiry: '21/11/2027' } } };
    const send = (p: Record<string, unknown>, url = V2) => post(app, p, { 'x-api-key': apiKey, 'idempotency-key': 'k-1' }, url);
    const first = await send(payload);
    assert.equal(first.statusCode, 200, first.body);
    const again = await send({ consents: { CC0002: { consent_expiry: '21/11/2027' } }, aa_journey_code: 'BCAA002', bank: 'hdfc', link_id: 'idem' });
    assert.deepEqual([again.statusCode, again.headers['idempotent-replayed'], body(again)], [200, 'true', body(first)]);
    const reused = await send({ ...payload, consents: { CC0002: { consent_expiry: '21/12/2027' } } });
    assert.deepEqual([reused.statusCode, body(reused).error.code], [409, 'IDEMPOTENCY_KEY_REUSED']);
    // The same key on v1 is another request: it answers its own session, with a v1 link.
    const v1 = await send({ link_id: 'idem' }, V1);
    assert.equal(v1.statusCode, 200, v1.body);
    assert.notEqual(body(v1).session_id, body(first).session_id);
    assert.equal(new URL(body(v1).redirect_url).searchParams.get('token'), null);
  });
});

test('AA mode with v2 consents: the consent asks for their dates, the journey comes back with its token', async (t) => {
  const app = await buildTestApp(t, 'pglite', { now: () => NOW, aaSandbox: true });
  const c = await app.client();
  const created = await post(app, {
    link_id: 'borrower-v2',
    api_key: c.apiKey,
    bank: 'hdfc',
    mobile_number: '9876543216',
    aa_journey_code: 'BCAA001',
    consents: { CC0001: { from_date: '01/07/2026', to_date: '31/10/2026', consent_expiry: '25/11/2026' } },
  });
  assert.equal(created.statusCode, 200, created.body);
  const { session_id: sid, redirect_url: redirect } = body(created);
  const token = new URL(redirect).searchParams.get('token')!;
  const journey = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}?token=${token}` }));
  assert.deepEqual(journey.modes, ['aa']);
  assert.deepEqual(journey.aa_consent, { purpose: 'Aggregated statement', recurring: null });

  const started = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/aa/consent`, payload: {} });
  assert.equal(started.statusCode, 200, started.body);
  const [consent] = await aaRepository(app.db).consentsOfSession(sid);
  assert.ok(consent);
  assert.deepEqual(
    [consent.fetchType, consent.fromDate, consent.toDate, consent.consentExpiry.toISOString()],
    // To the end of 25 November in India.
    ['ONETIME', '2026-07-01', '2026-10-31', '2026-11-25T18:30:00.000Z'],
  );
  // Approval at the sandbox, which sends the user back to the journey by the link with the token.
  const consentUrl = new URL(body(started).consent_url);
  const page = await app.inject({ method: 'GET', url: consentUrl.pathname + consentUrl.search });
  const action = /<form[^>]*action="([^"]*approve[^"]*)"/.exec(page.body);
  assert.ok(action, 'the consent page has an approve form');
  const target = new URL(action[1]!.replaceAll('&amp;', '&'), consentUrl);
  const accounts = [...page.body.matchAll(/<input type="checkbox" name="account" value="([^"]+)"[^>]* checked>/g)].map((m) => `account=${encodeURIComponent(m[1]!)}`);
  const approved = await app.inject({ method: 'POST', url: target.pathname + target.search, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: accounts.join('&') });
  assert.equal(approved.statusCode, 303, approved.body);
  const returned = new URL(String(approved.headers.location));
  assert.equal(returned.searchParams.get('session_id'), sid);
  assert.equal(returned.searchParams.get('token'), token);
  assert.equal(returned.searchParams.get('aa'), 'return');
  // Then the fetch: the FI request asks for the consent's range, not the session's.
  await until('AA journey', async () => body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}/aa` })), (s) => s.state === 'done' || s.state === 'failed');
  const [request] = await aaRepository(app.db).fiRequestsOfSession(sid);
  assert.deepEqual([request?.fromDate, request?.toDate], ['2026-07-01', '2026-10-31']);
});
