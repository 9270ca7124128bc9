/** The console's API (src/http/routes/console-api.ts): sign-in, CSRF, roles, tenant isolation, the session list. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { DEMO_CONSOLE_USER, ensureDemoConsoleUser } from '../../src/usecases/demo.ts';
import { ADMIN_TOKEN, body, buildTestApp, forEachStore, multipartPdf, until, type StoreKind, type TestApp } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const PASSWORD = 'a long enough password';

interface Browser {
  cookie: string;
  csrf: string;
}

async function setup(t: TestContext, kind: StoreKind, options: { jobsStopped?: boolean } = {}) {
  let now = new Date('2026-11-21T06:00:00Z');
  const app = await buildTestApp(t, kind, { now: () => now, ...options });
  const newUser = async (clientId: string, email: string, role: 'admin' | 'analyst', password: string | null = PASSWORD) => {
    const res = await app.inject({ method: 'POST', url: `/admin/v1/clients/${clientId}/console-users`, headers: ADMIN, payload: { email, name: email.split('@')[0], role, ...(password ? { password } : {}) } });
    assert.equal(res.statusCode, 201, res.body);
    return body(res);
  };
  const signIn = (email: string, password = PASSWORD, remoteAddress = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/console/api/sign-in', payload: { email, password }, remoteAddress });
  const browser = async (email: string, password = PASSWORD): Promise<Browser> => {
    const res = await signIn(email, password);
    assert.equal(res.statusCode, 200, res.body);
    return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: body(res).csrf_token };
  };
  const get = (b: Browser | null, url: string) => app.inject({ method: 'GET', url, headers: b ? { cookie: b.cookie } : {} });
  const post = (b: Browser, url: string, payload: Record<string, unknown> = {}, csrf: string | null = b.csrf) =>
    app.inject({ method: 'POST', url, headers: { cookie: b.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) }, payload });
  return { app, newUser, signIn, browser, get, post, advance: (ms: number) => (now = new Date(now.getTime() + ms)), now: () => now };
}

async function createSession(app: TestApp, apiKey: string, payload: Record<string, unknown>): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': apiKey }, payload: { from_date: '01/05/2026', to_date: '31/10/2026', ...payload } });
  assert.equal(res.statusCode, 200, res.body);
  return body(res).session_id;
}

forEachStore((kind) => {
  test('sign-in: a cookie the page cannot read, the same answer for a wrong password and an unknown email, lockout after five failures', async (t) => {
    const s = await setup(t, kind);
    const acme = await s.app.client({ name: 'Acme Finance' });
    const created = await s.newUser(acme.clientId, 'Ana@Acme.example', 'admin', null);
    assert.equal(created.user.email, 'ana@acme.example', 'stored lower-cased');
    assert.match(created.password, /^[A-Za-z0-9_-]{22}$/, 'a generated password, shown once');
    assert.equal((await s.app.inject({ method: 'GET', url: `/admin/v1/clients/${acme.clientId}/console-users`, headers: ADMIN })).body.includes(created.password), false);

    const ok = await s.signIn(' ANA@acme.example ', created.password);
    assert.equal(ok.statusCode, 200, ok.body);
    const cookie = String(ok.headers['set-cookie']);
    assert.match(cookie, /^passbook_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$/);
    assert.equal(body(ok).client.name, 'Acme Finance');
    assert.equal(body(ok).user.role, 'admin');
    const me = await s.get({ cookie: cookie.split(';')[0]!, csrf: '' }, '/console/api/me');
    assert.equal(me.statusCode, 200);
    assert.equal(body(me).csrf_token, body(ok).csrf_token, 'every tab of the browser gets the same CSRF token');
    assert.equal(body(me).user.email, 'ana@acme.example');

    // A form posted from another site cannot sign a browser in.
    const form = await s.app.inject({ method: 'POST', url: '/console/api/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `email=ana%40acme.example&password=${created.password}` });
    assert.equal(form.statusCode, 415);

    const wrong = await s.signIn('ana@acme.example', 'not the password');
    const unknown = await s.signIn('nobody@acme.example', 'not the password');
    for (const res of [wrong, unknown]) {
      assert.equal(res.statusCode, 401);
      assert.deepEqual(body(res), { error: { code: 'CONSOLE_SIGN_IN_FAILED', message: 'Email or password is incorrect.' } });
      assert.equal(res.headers['set-cookie'], undefined);
    }
    // Five failures in a row lock the address, known or not, even to the right password.
    for (let i = 0; i < 4; i++) {
      await s.signIn('ana@acme.example', 'still wrong', `10.0.1.${i}`);
      await s.signIn('nobody@acme.example', 'still wrong', `10.0.2.${i}`);
    }
    for (const email of ['ana@acme.example', 'nobody@acme.example']) {
      const locked = await s.signIn(email, email === 'ana@acme.example' ? created.password : 'x', '10.0.3.1');
      assert.equal(locked.statusCode, 429, locked.body);
      assert.deepEqual(body(locked).error, { code: 'TOO_MANY_SIGN_IN_ATTEMPTS', message: 'Too many failed sign-ins for this email. Try again in 15 minutes.' });
    }
    s.advance(15 * 60_000 + 1000);
    assert.equal((await s.signIn('ana@acme.example', created.password, '10.0.3.2')).statusCode, 200, 'unlocked after 15 minutes');

    // Per address: the eleventh try within a minute is refused before any password is checked.
    const tries = [];
    for (let i = 0; i < 11; i++) tries.push((await s.signIn(`guess${i}@acme.example`, 'x', '192.0.2.9')).statusCode);
    assert.deepEqual(tries, [...Array(10).fill(401), 429]);
    s.advance(61_000);
    assert.equal((await s.signIn('guess@acme.example', 'x', '192.0.2.9')).statusCode, 401);

    // Neither the password nor the cookie's token reaches the logs.
    const logs = s.app.logs.join('');
    for (const secret of [created.password, PASSWORD, cookie.split(';')[0]!.split('=')[1]!, body(ok).csrf_token]) assert.equal(logs.includes(secret), false);
  });

  test('CSRF: a change needs the sign-in’s token; sign out, sign out everywhere, and a disabled user’s sign-ins end', async (t) => {
    const s = await setup(t, kind);
    const acme = await s.app.client();
    const admin = await s.newUser(acme.clientId, 'admin@acme.example', 'admin');
    const analyst = await s.newUser(acme.clientId, 'analyst@acme.example', 'analyst');
    const first = await s.browser('admin@acme.example');
    const second = await s.browser('admin@acme.example');
    assert.notEqual(first.csrf, second.csrf);

    for (const csrf of [null, '', second.csrf, 'x'.repeat(43)]) {
      const res = await s.post(first, '/console/api/sign-out', {}, csrf);
      assert.equal(res.statusCode, 403, String(csrf));
      assert.equal(body(res).error.code, 'CSRF_TOKEN_INVALID');
    }
    assert.equal((await s.get(first, '/console/api/me')).statusCode, 200, 'refused changes change nothing');
    const out = await s.post(first, '/console/api/sign-out');
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /^passbook_console=; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=0/);
    assert.equal((await s.get(first, '/console/api/me')).statusCode, 401);
    assert.deepEqual(body(await s.get(first, '/console/api/me')).error, { code: 'CONSOLE_SIGN_IN_REQUIRED', message: 'Sign in to the console.' });
    assert.equal((await s.get(second, '/console/api/me')).statusCode, 200, 'only that browser');

    const third = await s.browser('admin@acme.example');
    assert.equal((await s.post(third, '/console/api/sign-out-everywhere')).statusCode, 204);
    for (const b of [second, third]) assert.equal((await s.get(b, '/console/api/me')).statusCode, 401);

    // An admin disables the analyst: the analyst's browser is signed out and cannot sign in again.
    const analystBrowser = await s.browser('analyst@acme.example');
    const adminBrowser = await s.browser('admin@acme.example');
    const disabled = await s.post(adminBrowser, `/console/api/users/${analyst.user.user_id}/disable`);
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.ok(body(disabled).disabled_at);
    assert.equal((await s.get(analystBrowser, '/console/api/me')).statusCode, 401);
    assert.equal((await s.signIn('analyst@acme.example')).statusCode, 401);

    // Expired sign-ins end by themselves (CONSOLE_SIGN_IN_HOURS, 12 by default).
    s.advance(12 * 3600_000 + 1000);
    assert.equal((await s.get(adminBrowser, '/console/api/me')).statusCode, 401);

    // Enabled again, the analyst signs in with the password they had; another client's admin cannot enable them.
    const freshAdmin = await s.browser('admin@acme.example');
    const other = await s.app.client();
    await s.newUser(other.clientId, 'admin@other.example', 'admin');
    assert.equal((await s.post(await s.browser('admin@other.example'), `/console/api/users/${analyst.user.user_id}/enable`)).statusCode, 404);
    const enabled = await s.post(freshAdmin, `/console/api/users/${analyst.user.user_id}/enable`);
    assert.equal(enabled.statusCode, 200, enabled.body);
    assert.equal(body(enabled).disabled_at, null);
    assert.equal((await s.signIn('analyst@acme.example')).statusCode, 200);
    const viaAdminApi = await s.app.inject({ method: 'POST', url: `/admin/v1/console-users/${analyst.user.user_id}/enable`, headers: ADMIN });
    assert.equal(viaAdminApi.statusCode, 200, 'enabling an enabled user changes nothing');

    const audit = await s.get(freshAdmin, '/console/api/audit-log');
    assert.deepEqual(
      body(audit).entries.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`).reverse(),
      [
        'admin-api user.create', 'admin-api user.create', 'admin@acme.example sign_in', 'admin@acme.example sign_in', 'admin@acme.example sign_in',
        'admin@acme.example sign_out_everywhere', 'analyst@acme.example sign_in', 'admin@acme.example sign_in', 'admin@acme.example user.disable',
        'analyst@acme.example sign_in.failed', 'admin@acme.example sign_in', 'admin@acme.example user.enable', 'analyst@acme.example sign_in', 'admin-api user.enable',
      ],
    );
    assert.equal(admin.password, null, 'a given password is not echoed');
  });

  test('roles: an analyst reads but may not manage users; an admin invites, and an address is taken once', async (t) => {
    const s = await setup(t, kind);
    const acme = await s.app.client();
    await s.newUser(acme.clientId, 'admin@acme.example', 'admin');
    await s.newUser(acme.clientId, 'analyst@acme.example', 'analyst');
    const analyst = await s.browser('analyst@acme.example');
    for (const res of [await s.get(analyst, '/console/api/users'), await s.post(analyst, '/console/api/users', { email: 'x@acme.example', name: 'X', role: 'admin' }), await s.get(analyst, '/console/api/audit-log')]) {
      assert.equal(res.statusCode, 403);
      assert.deepEqual(body(res).error, { code: 'CONSOLE_ROLE_FORBIDDEN', message: 'Only an admin may do this.' });
    }
    assert.equal((await s.get(analyst, '/console/api/sessions')).statusCode, 200);

    const admin = await s.browser('admin@acme.example');
    const invited = await s.post(admin, '/console/api/users', { email: 'new@acme.example', name: 'New Analyst', role: 'analyst' });
    assert.equal(invited.statusCode, 201, invited.body);
    assert.equal((await s.signIn('new@acme.example', body(invited).password)).statusCode, 200);
    const again = await s.post(admin, '/console/api/users', { email: 'NEW@acme.example', name: 'Again', role: 'admin' });
    assert.equal(again.statusCode, 409);
    assert.equal(body(again).error.code, 'EMAIL_TAKEN');
    for (const [payload, message] of [
      [{ email: 'not-an-email', name: 'X', role: 'admin' }, 'email, Enter a valid email address.'],
      [{ email: 'short@acme.example', name: 'X', role: 'admin', password: 'too short' }, 'password, Ensure this field has at least 12 characters.'],
      [{ email: 'role@acme.example', name: 'X', role: 'owner' }, 'role, "owner" is not a valid choice.'],
    ] as const) {
      const res = await s.post(admin, '/console/api/users', payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(body(res).error.message, message);
    }
    const users = body(await s.get(admin, '/console/api/users')).users.map((u: { email: string; role: string }) => `${u.email} ${u.role}`);
    assert.deepEqual(users, ['admin@acme.example admin', 'analyst@acme.example analyst', 'new@acme.example analyst']);
  });

  test("tenant isolation: a console user sees and changes only their own client's sessions and users", async (t) => {
    const s = await setup(t, kind);
    const acme = await s.app.client({ name: 'Acme' });
    const other = await s.app.client({ name: 'Other' });
    await s.newUser(acme.clientId, 'admin@acme.example', 'admin');
    const otherUser = await s.newUser(other.clientId, 'admin@other.example', 'admin');
    const mine = await createSession(s.app, acme.apiKey, { link_id: 'acme-1' });
    const theirs = await createSession(s.app, other.apiKey, { link_id: 'other-1' });
    const admin = await s.browser('admin@acme.example');

    const list = body(await s.get(admin, '/console/api/sessions'));
    assert.deepEqual(list.results.map((r: { session_id: string }) => r.session_id), [mine]);
    assert.deepEqual(body(await s.get(admin, `/console/api/sessions?q=${theirs}`)).results, []);
    for (const id of [theirs, 'not-a-uuid', "1' or '1'='1"]) {
      const res = await s.get(admin, `/console/api/sessions/${encodeURIComponent(id)}`);
      assert.equal(res.statusCode, 404, id);
      assert.equal(body(res).error.code, 'SESSION_NOT_FOUND');
    }
    assert.equal((await s.get(admin, `/console/api/sessions/${mine}`)).statusCode, 200);
    const disable = await s.post(admin, `/console/api/users/${otherUser.user.user_id}/disable`);
    assert.equal(disable.statusCode, 404);
    assert.equal(body(disable).error.code, 'CONSOLE_USER_NOT_FOUND');
    assert.equal((await s.signIn('admin@other.example')).statusCode, 200, 'the other client’s user was not touched');
    assert.deepEqual(body(await s.get(admin, '/console/api/users')).users.map((u: { email: string }) => u.email), ['admin@acme.example']);
    // API keys are not console credentials, nor the other way round.
    assert.equal((await s.app.inject({ method: 'GET', url: '/console/api/sessions', headers: { 'x-api-key': acme.apiKey } })).statusCode, 401);
    assert.equal((await s.get(admin, `/bank-connect/v1/session_data/${mine}/details/`)).statusCode, 403);
  });

  test('the session list: statuses, counts per status, search, filters, sorting and pages; one session in full', async (t) => {
    const s = await setup(t, kind);
    const acme = await s.app.client();
    await s.newUser(acme.clientId, 'analyst@acme.example', 'analyst');
    const ids: Record<string, string> = {};
    for (const [i, link] of ['loan-100', 'loan-101', 'loan-102', 'card-200', 'card-201'].entries()) {
      ids[link] = await createSession(s.app, acme.apiKey, { link_id: link, ...(i === 3 ? { bank_name: 'sbi', mode: 'pdf' } : {}), ...(i === 4 ? { session_expiry: 5 } : {}) });
      s.advance(3600_000);
    }
    // loan-101: a statement shared; loan-102: deleted; card-201: expired (5 minutes, long past).
    const pdf = await renderStatementPdf(statement('hdfc', { count: 40 }));
    const { payload, headers } = multipartPdf({ session_id: ids['loan-101']!, upload_type: 'PDF' }, pdf);
    const uploaded = await s.app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': acme.apiKey, ...headers }, payload });
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    const del = await s.app.inject({ method: 'DELETE', url: `/bank-connect/v1/session_data/${ids['loan-102']}/delete/`, headers: { 'x-api-key': acme.apiKey, 'server-hash': acme.serverHash } });
    assert.ok(del.statusCode < 300, del.body);

    const b = await s.browser('analyst@acme.example');
    const list = async (query = '') => {
      const res = await s.get(b, `/console/api/sessions${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return body(res);
    };
    const all = await list();
    assert.equal(all.count, 5);
    assert.deepEqual(all.counts, { created: 2, in_progress: 1, processing: 0, completed: 0, expired: 1, deleted: 1 });
    assert.deepEqual(all.results.map((r: { link_id: string }) => r.link_id), ['card-201', 'card-200', 'loan-102', 'loan-101', 'loan-100'], 'newest first');
    const row = (r: { link_id: string; status: string }) => `${r.link_id}:${r.status}`;
    assert.deepEqual(all.results.map(row), ['card-201:expired', 'card-200:created', 'loan-102:deleted', 'loan-101:in_progress', 'loan-100:created']);
    const shared = all.results.find((r: { link_id: string }) => r.link_id === 'loan-101');
    assert.deepEqual([shared.banks, shared.statement_count, shared.from_date, shared.to_date], [['hdfc'], 1, '2026-05-01', '2026-10-31']);

    assert.deepEqual((await list('?q=loan-')).results.map(row), ['loan-102:deleted', 'loan-101:in_progress', 'loan-100:created']);
    const byStatus = await list('?q=loan-&status=created');
    assert.deepEqual([byStatus.count, byStatus.results.map(row)], [1, ['loan-100:created']]);
    assert.deepEqual(byStatus.counts, { created: 1, in_progress: 1, processing: 0, completed: 0, expired: 0, deleted: 1 }, 'counts keep the other filters');
    assert.deepEqual((await list(`?q=${ids['card-200']!.toUpperCase()}`)).results.map(row), ['card-200:created'], 'a whole session id');
    assert.deepEqual((await list('?bank=sbi')).results.map(row), ['card-200:created']);
    assert.deepEqual((await list('?bank=hdfc')).results.map(row), ['loan-101:in_progress'], "a statement's bank counts too");
    assert.deepEqual((await list('?mode=pdf')).results.map(row), ['card-200:created']);
    assert.deepEqual((await list('?sort=link_id')).results.map((r: { link_id: string }) => r.link_id), ['card-200', 'card-201', 'loan-100', 'loan-101', 'loan-102']);
    const page2 = await list('?sort=created_at&page=2&page_size=2');
    assert.deepEqual([page2.count, page2.page, page2.page_size, page2.results.map((r: { link_id: string }) => r.link_id)], [5, 2, 2, ['loan-102', 'card-200']]);
    // Created 06:00 UTC (11:30 IST) on 21 Nov, then an hour apart: all on 21 Nov in Asia/Kolkata.
    assert.equal((await list('?created_from=2026-11-21&created_to=2026-11-21')).count, 5);
    assert.equal((await list('?created_from=2026-11-22')).count, 0);
    assert.equal((await list('?created_to=2026-11-20')).count, 0);
    for (const bad of ['?status=done', '?sort=bank', '?page=0', '?page_size=101', '?created_from=21/11/2026', '?created_to=2026-02-30']) {
      const res = await s.get(b, `/console/api/sessions${bad}`);
      assert.equal(res.statusCode, 400, bad);
    }

    const detail = body(await s.get(b, `/console/api/sessions/${ids['loan-101']}`));
    assert.equal(detail.session.status, 'in_progress');
    assert.equal(detail.session.journey_url, `https://journey.passbook.test/?session_id=${ids['loan-101']}`);
    assert.deepEqual(detail.session.months, ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    assert.equal(detail.accounts.length, 1);
    assert.equal(detail.accounts[0].bank_name, 'hdfc');
    assert.deepEqual(detail.accounts[0].missing_months, []);
    assert.equal(detail.statements.length, 1);
    assert.equal(detail.statements[0].file_name, 's.pdf');
    assert.deepEqual(detail.statements[0].fraud, []);
    const deleted = body(await s.get(b, `/console/api/sessions/${ids['loan-102']}`));
    assert.equal(deleted.session.status, 'deleted');
    assert.deepEqual([deleted.accounts, deleted.statements], [[], []]);
  });

  test('a session’s timeline: created, journey opened once, refused uploads with their reasons, the statement stored, submission, processing, webhooks; another client’s is not found', async (t) => {
    const s = await setup(t, kind, { jobsStopped: true });
    const acme = await s.app.client();
    await s.newUser(acme.clientId, 'analyst@acme.example', 'analyst');
    const sid = await createSession(s.app, acme.apiKey, { link_id: 'loan-7' });
    const step = () => s.advance(60_000);
    step();
    for (let i = 0; i < 2; i++) assert.equal((await s.app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` })).statusCode, 200);
    step();
    const pdf = await renderStatementPdf(statement('hdfc', { count: 40 }));
    // The user picks the wrong bank in the journey; the lender's backend sends an empty file.
    const wrongBank = multipartPdf({ bank_name: 'sbi' }, pdf);
    const refused = await s.app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, headers: wrongBank.headers, payload: wrongBank.payload });
    assert.equal(refused.statusCode, 400, refused.body);
    step();
    const empty = multipartPdf({ session_id: sid, upload_type: 'PDF' }, Buffer.alloc(0));
    const upload = (m: { payload: Buffer; headers: Record<string, string> }) =>
      s.app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': acme.apiKey, ...m.headers }, payload: m.payload });
    assert.equal((await upload(empty)).statusCode, 400);
    step();
    assert.equal((await upload(multipartPdf({ session_id: sid, upload_type: 'PDF' }, pdf))).statusCode, 200);
    step();
    assert.equal((await s.app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` })).statusCode, 200);
    step();
    const keys = { 'x-api-key': acme.apiKey, 'server-hash': acme.serverHash };
    assert.equal((await s.app.inject({ method: 'POST', url: `/bank-connect/v1/session_data/${sid}/initiate_processing/`, headers: keys })).statusCode, 202);
    step();
    await s.app.worker.drain();

    const b = await s.browser('analyst@acme.example');
    const res = await s.get(b, `/console/api/sessions/${sid}/timeline`);
    assert.equal(res.statusCode, 200, res.body);
    const entries = body(res).entries as Record<string, unknown>[];
    assert.deepEqual(entries.map((e) => e.kind), ['created', 'journey_opened', 'upload_refused', 'upload_refused', 'statement_stored', 'webhook', 'user_submitted', 'processing_requested', 'processing_completed', 'webhook']);
    const at = (i: number) => new Date(entries[i]!.at as string).getTime() - new Date('2026-11-21T06:00:00Z').getTime();
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(at), [0, 1, 2, 3, 4, 4, 5, 6, 7, 7].map((m) => m * 60_000), 'each at the time it happened, by the service’s clock; the journey opened once');
    assert.deepEqual(entries[2], { kind: 'upload_refused', at: entries[2]!.at, error_code: 'BANK_NAME_MISMATCH', message: 'Not sbi bank statement', channel: 'journey', source: 'file', file_name: 's.pdf', detected_bank: 'hdfc' });
    assert.deepEqual(entries[3], { kind: 'upload_refused', at: entries[3]!.at, error_code: 'EMPTY_FILE', message: 'File object is empty', channel: 'api', source: 'file', file_name: 's.pdf', detected_bank: null });
    assert.deepEqual([entries[4]!.bank_name, entries[4]!.file_name, entries[4]!.source, entries[4]!.fraud_findings], ['hdfc', 's.pdf', 'pdf', 0]);
    assert.ok((entries[4]!.page_count as number) >= 1);
    assert.deepEqual(entries[8]!.accounts, [{ bank_name: 'hdfc', status: 'completed', error_code: null }]);
    assert.deepEqual(entries.filter((e) => e.kind === 'webhook').map((e) => e.event_name), ['SESSION_REQUIREMENT_COMPLETION_NOTIFICATION', 'ENRICHMENT_NOTIFICATION']);
    for (const e of entries) assert.doesNotMatch(JSON.stringify(e), /password/i);

    // The Excel reports: signed links, the session's workbook and the account's.
    const reports = await s.get(b, `/console/api/sessions/${sid}/reports`);
    assert.equal(reports.statusCode, 200, reports.body);
    const links = body(reports);
    assert.deepEqual(links.accounts.map((a: { bank_name: string }) => a.bank_name), ['hdfc']);
    for (const url of [links.session_report_url, links.accounts[0].report_url]) {
      const file = await s.app.inject({ method: 'GET', url: new URL(url).pathname + new URL(url).search });
      assert.equal(file.statusCode, 200, file.body);
      assert.equal(file.rawPayload.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) workbook');
    }

    const other = await s.app.client();
    await s.newUser(other.clientId, 'analyst@other.example', 'analyst');
    const stranger = await s.browser('analyst@other.example');
    assert.equal((await s.get(stranger, `/console/api/sessions/${sid}/timeline`)).statusCode, 404);
    assert.equal((await s.get(stranger, `/console/api/sessions/${sid}/reports`)).statusCode, 404);
    const unprocessed = await createSession(s.app, acme.apiKey, { link_id: 'loan-8' });
    assert.equal(body(await s.get(b, `/console/api/sessions/${unprocessed}/reports`)).error.code, 'PROCESSING_NOT_REQUESTED');
  });

  test('a session made from the console: the Session API’s rules and messages, the journey link back, audited; refused on an expired plan', async (t) => {
    const s = await setup(t, kind);
    const acme = await s.app.client();
    await s.newUser(acme.clientId, 'analyst@acme.example', 'analyst');
    await s.newUser(acme.clientId, 'admin@acme.example', 'admin');
    const b = await s.browser('analyst@acme.example');
    const made = await s.post(b, '/console/api/sessions', { link_id: 'walk-in-7', from_date: '01/05/2026', to_date: '31/10/2026' });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal(body(made).journey_url, `https://journey.passbook.test/?session_id=${body(made).session_id}`);
    const listed = body(await s.get(b, '/console/api/sessions?q=walk-in')).results;
    assert.deepEqual(listed.map((r: { session_id: string; status: string }) => [r.session_id, r.status]), [[body(made).session_id, 'created']]);
    const bad = await s.post(b, '/console/api/sessions', { link_id: 'x', from_date: '2026-05-01', to_date: '31/10/2026' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(body(bad).error, { code: 'INVALID_DATE_FORMAT', message: 'Invalid `from_date` or `to_date` format. Use `DD/MM/YYYY`.' });
    assert.equal((await s.post(b, '/console/api/sessions', { link_id: 'x' }, null)).statusCode, 403, 'CSRF');
    const audit = body(await s.get(await s.browser('admin@acme.example'), '/console/api/audit-log')).entries;
    assert.ok(audit.some((e: { action: string; target: string; details: { link_id?: string } }) => e.action === 'session.create' && e.target === body(made).session_id && e.details.link_id === 'walk-in-7'));
    await s.app.inject({ method: 'PATCH', url: `/admin/v1/clients/${acme.clientId}`, headers: ADMIN, payload: { plan_status: 'expired' } });
    const expired = await s.post(b, '/console/api/sessions', { link_id: 'late' });
    assert.equal(expired.statusCode, 402);
    assert.equal(body(expired).error.code, 'PAYMENT_REQUIRED');
    assert.equal((await s.get(b, '/console/api/sessions')).statusCode, 200, 'reading stays allowed');
  });
});

test('the demo console user: made once, an admin of the demo client, signs in with the printed password and finds a processed example session', async (t) => {
  const app = await buildTestApp(t, 'pglite', { demo: true });
  const [first, second] = await Promise.all([ensureDemoConsoleUser(app.deps), ensureDemoConsoleUser(app.deps)]);
  assert.deepEqual(first, second);
  await ensureDemoConsoleUser(app.deps);
  const res = await app.inject({ method: 'POST', url: '/console/api/sign-in', payload: { email: DEMO_CONSOLE_USER.email, password: DEMO_CONSOLE_USER.password } });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(body(res).client.name, 'demo');
  assert.equal(body(res).user.role, 'admin');
  const users = await app.inject({ method: 'GET', url: `/admin/v1/clients/${body(res).client.client_id}/console-users`, headers: ADMIN });
  assert.equal(body(users).count, 1);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  const list = await until(
    'the example session processed',
    async () => body(await app.inject({ method: 'GET', url: '/console/api/sessions', headers: { cookie } })),
    (l) => l.results[0]?.status === 'completed',
  );
  assert.deepEqual([list.count, list.results[0].link_id, list.results[0].banks, list.results[0].statement_count], [1, 'demo-borrower', ['hdfc'], 1]);
});
