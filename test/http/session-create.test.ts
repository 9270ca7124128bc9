import assert from 'node:assert/strict';
import { test } from 'node:test';
import { body, buildTestApp, forEachStore, type TestApp } from '../helper.ts';
import { FIELD_CASES, recurring } from './session-create-cases.ts';

// 2026-11-21 11:30 in India: "today" for default date ranges.
const NOW = new Date('2026-11-21T06:00:00Z');
const URL = '/bank-connect/v1/session/';

async function post(app: TestApp, payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: URL, payload: payload as Record<string, unknown>, headers });
}

forEachStore((kind) => {
  test('every field rule answers with its code, status and message', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey } = await app.client();
    for (const c of FIELD_CASES) {
      await t.test(c.name, async () => {
        const payload = { link_id: 'user-1', ...c.payload, api_key: apiKey };
        if (c.name === 'link_id missing') delete (payload as Record<string, unknown>).link_id;
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

  test('authentication: body or header key, unknown key 401, expired plan 402, disabled mode 403', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const active = await app.client();
    const expired = await app.client({ name: 'late payer', planStatus: 'expired' });
    const pdfOnly = await app.client({ name: 'pdf only', enabledModes: ['pdf'] });

    const none = await post(app, { link_id: 'u' });
    assert.equal(none.statusCode, 401);
    assert.deepEqual(body(none), {
      error: { code: 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED', message: 'Authentication credentials were not provided' },
    });
    const wrong = await post(app, { link_id: 'u', api_key: 'pbk_wrong' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(body(wrong).error.code, 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED');
    const wrongHeader = await post(app, { link_id: 'u' }, { 'x-api-key': 'nope' });
    assert.equal(wrongHeader.statusCode, 401);

    assert.equal((await post(app, { link_id: 'u', api_key: active.apiKey })).statusCode, 200);
    assert.equal((await post(app, { link_id: 'u' }, { 'x-api-key': active.apiKey })).statusCode, 200);

    const late = await post(app, { link_id: 'u', api_key: expired.apiKey });
    assert.equal(late.statusCode, 402);
    assert.deepEqual(body(late), { error: { code: 'PAYMENT_REQUIRED', message: 'Payment required' } });

    const notEnabled = await post(app, { link_id: 'u', mode: 'aa', bank_name: 'hdfc', api_key: pdfOnly.apiKey });
    assert.equal(notEnabled.statusCode, 403);
    assert.deepEqual(body(notEnabled), {
      error: { code: 'MODE_NOT_ENABLED', message: 'Specified mode not enabled. Contact FinBox Admin.' },
    });
    assert.equal((await post(app, { link_id: 'u', mode: 'pdf', bank_name: 'hdfc', api_key: pdfOnly.apiKey })).statusCode, 200);
  });

  test('a minimal session gets the documented defaults', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey, serverHash } = await app.client();
    const res = await post(app, { link_id: 'user-42', api_key: apiKey });
    assert.equal(res.statusCode, 200, res.body);
    const created = body(res);
    assert.deepEqual(Object.keys(created), ['session_id', 'redirect_url']);
    assert.match(created.session_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created.redirect_url, `https://journey.passbook.test/?session_id=${created.session_id}`);

    const details = await app.inject({
      method: 'GET',
      url: `/bank-connect/v1/session_data/${created.session_id}/details/`,
      headers: { 'x-api-key': apiKey, 'server-hash': serverHash },
    });
    assert.equal(details.statusCode, 200, details.body);
    assert.deepEqual(body(details), {
      session_id: created.session_id,
      api_version: 1,
      link_id: 'user-42',
      status: 'created',
      created_at: '2026-11-21T06:00:00.000Z',
      expires_at: '2026-11-22T06:00:00.000Z',
      from_date: '21/05/2026',
      to_date: '21/11/2026',
      months: ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'],
      max_from_date: null,
      max_to_date: null,
      bank_name: null,
      mode: null,
      journey_mode: null,
      redirect_url: null,
      logo_url: null,
      mobile_number: null,
      is_mobile_field_editable: false,
      accept_anything: false,
      aa: null,
      metadata: null,
    });
  });

  test('every parameter is stored normalised and read back', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey, serverHash } = await app.client({ allowedRedirectHosts: ['lender.example', '*.lender.in'] });
    const details = async (payload: Record<string, unknown>) => {
      const res = await post(app, { link_id: 'u', ...payload, api_key: apiKey });
      assert.equal(res.statusCode, 200, res.body);
      const got = await app.inject({
        method: 'GET',
        url: `/bank-connect/v1/session_data/${body(res).session_id}/details`,
        headers: { 'x-api-key': apiKey, 'server-hash': serverHash },
      });
      assert.equal(got.statusCode, 200, got.body);
      return body(got);
    };

    const full = await details({
      from_date: '15/03/2026',
      to_date: '05/09/2026',
      max_from_date: '01/01/2026',
      max_to_date: '21/11/2026',
      bank_name: 'HDFC',
      mode: 'pdf',
      journey_mode: 'multi_pdf',
      redirect_url: 'https://lender.example/done?x=1',
      logo_url: 'https://cdn.example.org/logo.png',
      mobile_number: '+91 98765-43210',
      session_expiry: '60',
      accept_anything: 'true',
      is_mobile_field_editable: 1,
      metadata: { names: ['AYUSH PATIL'], employer_names: [], companies_for_self_transfer: ['PATIL TRADERS'] },
    });
    assert.equal(full.from_date, '15/03/2026');
    assert.equal(full.to_date, '05/09/2026');
    // 5 September is in the first week of its month, so September is not required.
    assert.deepEqual(full.months, ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
    assert.equal(full.max_from_date, '01/01/2026');
    assert.equal(full.max_to_date, '21/11/2026');
    assert.equal(full.bank_name, 'hdfc');
    assert.equal(full.mode, 'pdf');
    assert.equal(full.journey_mode, 'multi_pdf');
    assert.equal(full.redirect_url, 'https://lender.example/done?x=1');
    assert.equal(full.logo_url, 'https://cdn.example.org/logo.png');
    assert.equal(full.mobile_number, '9876543210');
    assert.equal(full.expires_at, '2026-11-21T07:00:00.000Z');
    assert.equal(full.accept_anything, true);
    assert.equal(full.is_mobile_field_editable, true);
    assert.deepEqual(full.metadata, { names: ['AYUSH PATIL'], employer_names: [], companies_for_self_transfer: ['PATIL TRADERS'] });
    assert.equal(full.aa, null);

    assert.equal((await details({ mobile_number: '09876543210' })).mobile_number, '9876543210');
    assert.equal((await details({ mobile_number: '919876543210' })).mobile_number, '9876543210');
    assert.equal((await details({ mobile_number: 9198765432 })).mobile_number, '9198765432');
    assert.equal((await details({ session_expiry: 5 })).expires_at, '2026-11-21T06:05:00.000Z');
    assert.equal((await details({ session_expiry: 43200 })).expires_at, '2026-12-21T06:00:00.000Z');
    assert.equal((await details({ redirect_url: 'https://app.lender.in/back' })).redirect_url, 'https://app.lender.in/back');
    // Optional fields sent blank or null count as not sent.
    const blank = await details({ bank_name: '', mobile_number: null, redirect_url: '' });
    assert.equal(blank.bank_name, null);
    assert.equal(blank.mobile_number, null);
    // A to_date on day 1 of a month within the same month as from_date keeps that month.
    assert.deepEqual((await details({ from_date: '01/03/2026', to_date: '05/03/2026' })).months, ['2026-03']);
    assert.deepEqual((await details({ from_date: '31/12/2025', to_date: '08/02/2026' })).months, ['2025-12', '2026-01', '2026-02']);

    const refused = await post(app, { link_id: 'u', redirect_url: 'https://evil.example/steal', api_key: apiKey });
    assert.equal(refused.statusCode, 400);
    assert.equal(body(refused).error.code, 'INVALID_URL');
    const suffix = await post(app, { link_id: 'u', redirect_url: 'https://notlender.in/x', api_key: apiKey });
    assert.equal(body(suffix).error.code, 'INVALID_URL');
  });

  test('Account Aggregator sessions: defaults, clamps and recurring consent', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey, serverHash } = await app.client();
    const details = async (payload: Record<string, unknown>) => {
      const res = await post(app, { link_id: 'u', ...payload, api_key: apiKey });
      assert.equal(res.statusCode, 200, res.body);
      const got = await app.inject({
        method: 'GET',
        url: `/bank-connect/v1/session_data/${body(res).session_id}/details/`,
        headers: { 'x-api-key': apiKey, 'server-hash': serverHash },
      });
      return body(got);
    };

    const once = await details({ mode: 'aa', bank_name: 'ICICI', mobile_number: '9876543210' });
    assert.deepEqual(once.aa, { journey_mode: 'only_once', recurring_tenure_month: null, recurring_frequency_unit: null, recurring_frequency_value: null, journey_code: null, consents: null });
    assert.equal(once.bank_name, 'icici');

    // from_date two years back is moved up to 14 months before to_date, not refused.
    const clamped = await details({ mode: 'aa', bank_name: 'axis', from_date: '01/01/2024', to_date: '20/11/2026' });
    assert.equal(clamped.from_date, '20/09/2025');
    assert.equal(clamped.months.length, 15);
    // The same range on a PDF session is kept.
    assert.equal((await details({ from_date: '01/01/2024', to_date: '20/11/2026' })).from_date, '01/01/2024');

    const capped = await details({ ...recurring, aa_recurring_tenure_month: 70 });
    assert.deepEqual(capped.aa, { journey_mode: 'only_recurring', recurring_tenure_month: 60, recurring_frequency_unit: 'month', recurring_frequency_value: 1, journey_code: null, consents: null });
    const countName = await details({ ...recurring, aa_journey_mode: 'once_with_recurring', aa_recurring_tenure_month_count: '24', aa_recurring_frequency_unit: 'day', aa_recurring_frequency_value: '5' });
    assert.deepEqual(countName.aa, { journey_mode: 'once_with_recurring', recurring_tenure_month: 24, recurring_frequency_unit: 'day', recurring_frequency_value: 5, journey_code: null, consents: null });
    const edges = await details({ ...recurring, aa_recurring_tenure_month: 84, aa_recurring_frequency_unit: 'hour' });
    assert.equal(edges.aa.recurring_tenure_month, 60);
    assert.equal((await details({ ...recurring, aa_recurring_tenure_month: 1 })).aa.recurring_tenure_month, 1);
    // No tenure given: the documented default of 12 months.
    assert.equal((await details(recurring)).aa.recurring_tenure_month, 12);
  });

  test('form-urlencoded and multipart bodies work like JSON', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey, serverHash } = await app.client();
    const form = await app.inject({
      method: 'POST',
      url: '/bank-connect/v1/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ link_id: 'form-user', api_key: apiKey, accept_anything: 'true', session_expiry: '30', bank_name: 'Kotak', mode: 'aa', metadata: '{"names":["A B"]}' }).toString(),
    });
    assert.equal(form.statusCode, 200, form.body);
    const read = await app.inject({
      method: 'GET',
      url: `/bank-connect/v1/session_data/${body(form).session_id}/details/`,
      headers: { 'x-api-key': apiKey, 'server-hash': serverHash },
    });
    assert.equal(body(read).link_id, 'form-user');
    assert.equal(body(read).accept_anything, true);
    assert.equal(body(read).bank_name, 'kotak');
    assert.deepEqual(body(read).metadata, { names: ['A B'] });
    assert.equal(body(read).expires_at, '2026-11-21T06:30:00.000Z');

    const dup = await app.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `link_id=a&link_id=b&api_key=${apiKey}`,
    });
    assert.equal(dup.statusCode, 400);
    assert.equal(body(dup).error.code, 'INVALID_PARAMETER_COUNT');

    const boundary = '----passbook';
    const multipartBody = (fields: Record<string, string>) =>
      Object.entries(fields)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join('') + `--${boundary}--\r\n`;
    const multi = await app.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipartBody({ link_id: 'multi-user', api_key: apiKey, is_mobile_field_editable: 'false', mobile_number: '7012345678' }),
    });
    assert.equal(multi.statusCode, 200, multi.body);
    const badMulti = await app.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipartBody({ link_id: 'multi-user', api_key: apiKey, session_expiry: 'ten' }),
    });
    assert.equal(badMulti.statusCode, 400);
    assert.equal(body(badMulti).error.code, 'INVALID_SESSION_EXPIRY');
  });

  test('HTTP-level refusals: method, media type, malformed and oversized bodies', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey } = await app.client();
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const url of [URL, '/bank-connect/v1/session']) {
        const res = await app.inject({ method, url });
        assert.equal(res.statusCode, 405, `${method} ${url}`);
        assert.deepEqual(body(res), { error: { code: 'METHOD_NOT_ALLOWED', message: `Method "${method}" not allowed.` } });
      }
    }
    const text = await app.inject({ method: 'POST', url: URL, headers: { 'content-type': 'text/plain' }, payload: 'link_id=u' });
    assert.equal(text.statusCode, 415);
    assert.deepEqual(body(text), { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported media type "text/plain" in request.' } });
    const xml = await app.inject({ method: 'POST', url: URL, headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    assert.equal(xml.statusCode, 415);
    const missing = await app.inject({ method: 'POST', url: URL });
    assert.equal(missing.statusCode, 415);
    assert.equal(body(missing).error.code, 'UNSUPPORTED_MEDIA_TYPE');

    for (const payload of ['{"link_id": ', '', 'null', '[1,2]', '"text"', '42']) {
      const res = await app.inject({ method: 'POST', url: URL, headers: { 'content-type': 'application/json' }, payload });
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
      assert.equal(body(res).error.code, 'INVALID_REQUEST');
    }

    const big = await post(app, { link_id: 'u', api_key: apiKey, pad: 'x'.repeat(1024 * 1024) });
    assert.equal(big.statusCode, 413);
    assert.equal(body(big).error.code, 'PAYLOAD_TOO_LARGE');

    const brokenMultipart = await app.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'multipart/form-data' },
      payload: 'garbage',
    });
    assert.equal(brokenMultipart.statusCode, 400, brokenMultipart.body);
    assert.equal(body(brokenMultipart).error.code, 'INVALID_REQUEST');
  });

  test('Idempotency-Key: same body replays, other body 409, concurrent retries create one session', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const { apiKey } = await app.client();
    const other = await app.client({ name: 'other lender' });
    const payload = { link_id: 'idem-user', bank_name: 'sbi' };
    const send = (key: string, p: Record<string, unknown>, who = apiKey) => post(app, p, { 'x-api-key': who, 'idempotency-key': key });

    const first = await send('key-1', payload);
    assert.equal(first.statusCode, 200);
    const again = await send('key-1', { bank_name: 'sbi', link_id: 'idem-user' });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(body(again), body(first));
    assert.equal(again.headers['idempotent-replayed'], 'true');

    const reused = await send('key-1', { ...payload, link_id: 'someone-else' });
    assert.equal(reused.statusCode, 409);
    assert.equal(body(reused).error.code, 'IDEMPOTENCY_KEY_REUSED');

    // The same key is independent per client.
    const otherClient = await send('key-1', payload, other.apiKey);
    assert.equal(otherClient.statusCode, 200);
    assert.notEqual(body(otherClient).session_id, body(first).session_id);

    const burst = await Promise.all(Array.from({ length: 8 }, () => send('key-burst', payload)));
    assert.ok(burst.every((r) => r.statusCode === 200));
    assert.equal(new Set(burst.map((r) => body(r).session_id)).size, 1);

    const rows = await app.db.query<{ n: bigint }>("select count(*) as n from sessions where link_id = 'idem-user'");
    assert.equal(rows[0]!.n, 3n);

    const badKey = await send('x'.repeat(256), payload);
    assert.equal(badKey.statusCode, 400);
    assert.equal(body(badKey).error.code, 'INVALID_REQUEST');
  });

  test('an Idempotency-Key older than 24 hours can be used again', async (t) => {
    let now = NOW;
    const app = await buildTestApp(t, kind, { now: () => now });
    const { apiKey } = await app.client();
    const send = () => post(app, { link_id: 'u' }, { 'x-api-key': apiKey, 'idempotency-key': 'daily' });
    const first = body(await send());
    await app.db.query("update idempotency_keys set created_at = now() - interval '25 hours'");
    now = new Date(NOW.getTime() + 25 * 3600_000);
    const second = body(await send());
    assert.notEqual(second.session_id, first.session_id);
  });
});
