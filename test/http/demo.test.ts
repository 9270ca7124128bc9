/** The newcomer demo: on only for local setups; samples that the journey accepts; a signed way back. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { DEMO_AA, DEMO_SAMPLES } from '../../src/usecases/demo.ts';
import { listClients } from '../../src/usecases/manage-clients.ts';
import { body, buildTestApp, multipartPdf, until, type TestApp } from '../helper.ts';


test('config.demo: only on the embedded store, without ADMIN_TOKEN, outside production', () => {
  assert.equal(loadConfig({}).demo, true);
  assert.equal(loadConfig({ NODE_ENV: 'development' }).demo, true);
  assert.equal(loadConfig({ NODE_ENV: 'production' }).demo, false);
  assert.equal(loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token' }).demo, false);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }).demo, false);
});

/** Noon in India on the given day: the demo range ends on that calendar day. */
const noonIst = (day: string) => new Date(`${day}T06:30:00Z`);

test('demo: a session for the reused "demo" client, samples inside its range, a verified redirect', async (t) => {
  const app = await buildTestApp(t, 'pglite', { demo: true, adminToken: null, now: () => noonIst('2026-05-20') });
  const page = await app.inject({ method: 'GET', url: '/demo' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-security-policy']), /^default-src 'self'/);
  for (const s of DEMO_SAMPLES) assert.ok(page.body.includes(`demo/samples/${s.file}`));
  assert.ok(page.body.includes('DEMO1234'), 'the password of the locked sample is shown');

  const open = async (mode: string) => {
    const res = await app.inject({ method: 'POST', url: '/demo/sessions', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `journey_mode=${mode}` });
    assert.equal(res.statusCode, 303, res.body);
    const location = new URL(String(res.headers.location));
    assert.equal(location.origin + location.pathname, 'https://journey.passbook.test/');
    return location.searchParams.get('session_id')!;
  };
  const sid = await open('multi_banking');
  await open('');
  assert.equal((await listClients(app.deps)).filter((c) => c.name === 'demo').length, 1, 'created once, then reused');
  const view = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` }));
  assert.equal(view.journey_mode, 'multi_banking');
  assert.equal(view.redirect_origin, 'https://journey.passbook.test');
  assert.equal((await app.inject({ method: 'POST', url: '/demo/sessions', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'journey_mode=nope' })).statusCode, 400);

  const months: string[][] = [];
  for (const sample of DEMO_SAMPLES) {
    const pdf = await app.inject({ method: 'GET', url: `/demo/samples/${sample.file}` });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const res = await app.inject({
      method: 'POST',
      url: `/journey/api/sessions/${sid}/statements`,
      ...multipartPdf({ bank_name: sample.layout, ...(sample.password ? { pdf_password: sample.password } : {}) }, pdf.rawPayload),
    });
    assert.equal(res.statusCode, 200, `${sample.file}: ${res.body}`);
    months.push(body(res).months);
  }
  assert.deepEqual(months[0], view.months, 'the HDFC sample covers every month asked for, and no more');
  assert.ok(months[2]!.length < view.months.length, 'the Kotak sample covers only part of the range');
  assert.equal((await app.inject({ method: 'GET', url: '/demo/samples/other.pdf' })).statusCode, 404);

  const redirect = new URL(body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` })).redirect_url);
  assert.equal(redirect.pathname, '/demo/done');
  const done = await app.inject({ method: 'GET', url: redirect.pathname + redirect.search });
  assert.match(done.body, /Signature: <strong>valid/);
  assert.match(done.body, /Kotak Mahindra Bank/);
  redirect.searchParams.set('success', 'false');
  assert.match((await app.inject({ method: 'GET', url: redirect.pathname + redirect.search })).body, /Signature: <strong>NOT valid/);
});

test('demo: on the 1st, 7th, 8th and last day of a month, the HDFC sample covers every month the session asks for', async (t) => {
  // In its first week, to_date's month is not asked for (create-session.ts), but the sample still ends on to_date.
  let now = noonIst('2026-03-01');
  const app = await buildTestApp(t, 'pglite', { demo: true, adminToken: null, now: () => now });
  const [hdfc, , kotak] = DEMO_SAMPLES;
  const cases = [
    { day: '2026-03-01', asked: ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'] },
    { day: '2026-03-07', asked: ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'] },
    { day: '2026-03-08', asked: ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'] },
    { day: '2026-03-31', asked: ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'] },
    { day: '2026-02-28', asked: ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'] },
  ];
  for (const { day, asked } of cases) {
    now = noonIst(day);
    const res = await app.inject({ method: 'POST', url: '/demo/sessions', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'journey_mode=multi_banking' });
    const sid = new URL(String(res.headers.location)).searchParams.get('session_id')!;
    const view = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` }));
    assert.deepEqual(view.months, asked, day);
    const upload = async (sample: (typeof DEMO_SAMPLES)[number]) => {
      const pdf = await app.inject({ method: 'GET', url: `/demo/samples/${sample.file}` });
      const r = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, ...multipartPdf({ bank_name: sample.layout }, pdf.rawPayload) });
      assert.equal(r.statusCode, 200, `${day} ${sample.file}: ${r.body}`);
      return body(r);
    };
    const full = await upload(hdfc!);
    assert.deepEqual(full.missing_months, [], `${day}: the HDFC sample leaves nothing missing`);
    for (const m of asked) assert.ok(full.months.includes(m), `${day}: the HDFC sample covers ${m}`);
    assert.ok((await upload(kotak!)).missing_months.length > 0, `${day}: the Kotak sample covers only part of the range`);
  }
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The session a demo form opens: it must answer 303 to the journey. */
async function openDemo(app: TestApp, url: string, payload: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url, headers: FORM, payload });
  assert.equal(res.statusCode, 303, res.body);
  const location = new URL(String(res.headers.location));
  assert.equal(location.origin + location.pathname, 'https://journey.passbook.test/');
  return location.searchParams.get('session_id')!;
}

test('demo with AA mode: an Account Aggregator session for "demo-aa", approved at the sandbox, back to a verified redirect', async (t) => {
  const app = await buildTestApp(t, 'pglite', { demo: true, aaSandbox: true, adminToken: null, now: () => noonIst('2026-05-20') });
  const page = await app.inject({ method: 'GET', url: '/demo' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<form method="post" action="demo\/aa-sessions">\s*<button type="submit" class="primary">Try Account Aggregator mode<\/button>/);
  assert.ok(page.body.includes(DEMO_AA.mobileNumber), 'the number the session asks for is shown');
  assert.match(page.body, /last digit sets how many accounts it has \(1–4: one, 5–8: two at different banks, 9: three, 0: none\)/);

  const pdfSid = await openDemo(app, '/demo/sessions', 'journey_mode=');
  const sid = await openDemo(app, '/demo/aa-sessions', '');
  const pdfView = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${pdfSid}` }));
  const view = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` }));
  assert.equal(view.mode, 'aa');
  assert.deepEqual(view.modes, ['aa']);
  assert.equal(view.is_mobile_field_editable, true);
  assert.equal(view.bank_name, 'hdfc');
  assert.equal(view.aa_mobile_number, 'XXXXXX3216');
  assert.deepEqual([view.from_date, view.to_date, view.months], [pdfView.from_date, pdfView.to_date, pdfView.months], 'the range of the PDF demo sessions');
  assert.deepEqual(pdfView.modes, ['pdf'], 'the PDF demo sessions do not offer AA: it is another client');
  assert.equal(view.redirect_origin, 'https://journey.passbook.test');

  await openDemo(app, '/demo/aa-sessions', '');
  const clients = (await listClients(app.deps)).filter((c) => c.name.startsWith('demo'));
  assert.deepEqual(clients.map((c) => [c.name, c.enabledModes]).sort(), [['demo', ['pdf']], ['demo-aa', ['aa']]], 'each created once, then reused');

  // The journey's steps: consent, the sandbox's approval form as a browser submits it, the wait.
  const started = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/aa/consent`, payload: {} });
  assert.equal(started.statusCode, 200, started.body);
  const consentUrl = new URL(body(started).consent_url);
  const consentPage = await app.inject({ method: 'GET', url: consentUrl.pathname + consentUrl.search });
  const action = /<form[^>]*action="([^"]*approve[^"]*)"/.exec(consentPage.body);
  assert.ok(action, 'the consent page has an approve form');
  const accounts = [...consentPage.body.matchAll(/<input type="checkbox" name="account" value="([^"]+)"[^>]* checked>/g)].map((m) => `account=${encodeURIComponent(m[1]!)}`);
  assert.equal(accounts.length, 2, 'the demo number holds two accounts');
  const target = new URL(action[1]!.replaceAll('&amp;', '&'), consentUrl);
  const approved = await app.inject({ method: 'POST', url: target.pathname + target.search, headers: FORM, payload: accounts.join('&') });
  assert.equal(approved.statusCode, 303, approved.body);
  await until('the AA journey', async () => body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}/aa` })).state, (s) => s === 'done' || s === 'failed');
  await until('completion recorded', async () => body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` })).state, (s) => s === 'processed');

  const redirect = new URL(body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` })).redirect_url);
  assert.equal(redirect.pathname, '/demo/done');
  const done = await app.inject({ method: 'GET', url: redirect.pathname + redirect.search });
  assert.match(done.body, /Outcome: <strong>success/);
  assert.match(done.body, /Signature: <strong>valid/, 'checked with the key of "demo-aa"');
  assert.match(done.body, /HDFC Bank: 1 statement/);
  assert.match(done.body, /State Bank of India: 1 statement/);
  redirect.searchParams.set('success', 'false');
  assert.match((await app.inject({ method: 'GET', url: redirect.pathname + redirect.search })).body, /Signature: <strong>NOT valid/);
});

test('demo without AA mode: no Account Aggregator button, and its form answers MODE_NOT_ENABLED', async (t) => {
  const app = await buildTestApp(t, 'pglite', { demo: true, adminToken: null, now: () => noonIst('2026-05-20') });
  const page = await app.inject({ method: 'GET', url: '/demo' });
  assert.equal(page.statusCode, 200);
  assert.ok(!page.body.includes('Try Account Aggregator mode'));
  assert.ok(!page.body.includes('demo/aa-sessions'));
  const res = await app.inject({ method: 'POST', url: '/demo/aa-sessions', headers: FORM, payload: '' });
  assert.equal(res.statusCode, 403);
  assert.equal(body(res).error.code, 'MODE_NOT_ENABLED');
  assert.deepEqual((await listClients(app.deps)).map((c) => c.name), [], 'no client made for nothing');
});
