/** The console's analysis, statement PDFs, webhook log and settings (console-data-api.ts, console-settings-api.ts). In test:slow: it processes sessions and delivers webhooks on both stores. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { ADMIN_TOKEN, body, buildTestApp, forEachStore, multipartPdf, until, type StoreKind } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';
import { startReceiver, verifySignature } from '../webhooks/webhook-receiver.ts';

const PASSWORD = 'a long enough password';

async function setup(t: TestContext, kind: StoreKind) {
  const app = await buildTestApp(t, kind, { now: () => new Date('2026-11-21T06:00:00Z') });
  const acme = await app.client({ name: 'Acme' });
  const other = await app.client({ name: 'Other' });
  const keys = { 'x-api-key': acme.apiKey, 'server-hash': acme.serverHash };
  for (const [clientId, email, role] of [[acme.clientId, 'admin@acme.example', 'admin'], [acme.clientId, 'analyst@acme.example', 'analyst'], [other.clientId, 'admin@other.example', 'admin']]) {
    const res = await app.inject({ method: 'POST', url: `/admin/v1/clients/${clientId}/console-users`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { email, name: email, role, password: PASSWORD } });
    assert.equal(res.statusCode, 201, res.body);
  }
  const browser = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: '/console/api/sign-in', payload: { email, password: PASSWORD } });
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const csrf = body(res).csrf_token as string;
    return {
      get: (url: string) => app.inject({ method: 'GET', url, headers: { cookie } }),
      send: (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown> = {}) => app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrf }, payload }),
    };
  };
  const processedSession = async () => {
    const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': acme.apiKey }, payload: { link_id: 'loan-1', from_date: '01/05/2026', to_date: '31/10/2026' } })).session_id as string;
    const pdf = await renderStatementPdf(statement('hdfc', { count: 60 }));
    const m = multipartPdf({ session_id: sid, upload_type: 'PDF' }, pdf);
    const uploaded = await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': acme.apiKey, ...m.headers }, payload: m.payload });
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    assert.equal((await app.inject({ method: 'POST', url: `/bank-connect/v1/session_data/${sid}/initiate_processing/`, headers: keys })).statusCode, 202);
    await until('processed', async () => body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/progress/`, headers: keys })).session_progress, (p) => p === 'completed');
    return { sid, pdf, statementId: body(uploaded).statement_id as string };
  };
  return { app, acme, keys, browser, processedSession };
}

forEachStore((kind) => {
  test('analysis and the statement viewer: the insights document, each transaction traceable to a page and box of a PDF the console serves', async (t) => {
    const s = await setup(t, kind);
    const { sid, pdf, statementId } = await s.processedSession();
    const analyst = await s.browser('analyst@acme.example');

    const insights = await analyst.get(`/console/api/sessions/${sid}/insights`);
    assert.equal(insights.statusCode, 200, insights.body);
    const fromApi = body(await s.app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/insights/`, headers: s.keys }));
    const strip = (doc: Record<string, any>) => JSON.stringify(doc).replace(/expires=\d+&signature=[0-9a-f]+/g, '');
    assert.equal(strip(body(insights)), strip(fromApi), 'what the lender’s integration reads');
    const transactions = body(insights).accounts[0].data.transactions as { statement_id: string; page: number; bbox: number[] }[];
    assert.equal(transactions.length, statement('hdfc', { count: 60 }).transactions.length);
    assert.ok(transactions.every((tx) => tx.statement_id === statementId && tx.page >= 1 && tx.bbox.length === 4));

    const served = await analyst.get(`/console/api/sessions/${sid}/statements/${statementId}/pdf`);
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'application/pdf');
    assert.equal(served.headers['cache-control'], 'private, no-store');
    assert.deepEqual(served.rawPayload, pdf);

    const outsider = await s.browser('admin@other.example');
    assert.equal((await outsider.get(`/console/api/sessions/${sid}/statements/${statementId}/pdf`)).statusCode, 404);
    assert.equal((await outsider.get(`/console/api/sessions/${sid}/insights`)).statusCode, 404);
    assert.equal((await analyst.get(`/console/api/sessions/${sid}/statements/00000000-0000-4000-8000-000000000000/pdf`)).statusCode, 404);
    assert.equal((await analyst.get(`/console/api/sessions/${sid}/statements/${statementId}/pdf`.replace('/api/', '/api//'))).statusCode, 404);
  });

  test('webhooks and settings: an analyst reads and replays; only an admin changes settings, sees a new secret or key once; each change is audited', async (t) => {
    const s = await setup(t, kind);
    const receiver = await startReceiver(t);
    const analyst = await s.browser('analyst@acme.example');
    const admin = await s.browser('admin@acme.example');

    for (const [method, url] of [['PATCH', '/console/api/settings'], ['POST', '/console/api/settings/webhook'], ['POST', '/console/api/settings/webhook/rotate-secret'], ['POST', '/console/api/settings/api-keys/rotate']] as const) {
      const res = await analyst.send(method, url, { webhook_url: receiver.url, frame_origins: ['https://app.acme.example'] });
      assert.equal(res.statusCode, 403, url);
      assert.equal(body(res).error.code, 'CONSOLE_ROLE_FORBIDDEN');
    }
    const set = await admin.send('POST', '/console/api/settings/webhook', { webhook_url: receiver.url });
    assert.equal(set.statusCode, 200, set.body);
    const secret = body(set).webhook_secret as string;
    assert.ok(secret);
    assert.equal(body(await admin.send('POST', '/console/api/settings/webhook', { webhook_url: receiver.url })).webhook_secret, null, 'the secret is shown once');
    const settings = body(await admin.get('/console/api/settings'));
    assert.equal(settings.webhook_url, receiver.url);
    assert.equal(JSON.stringify(settings).includes(secret), false);
    const patched = await admin.send('PATCH', '/console/api/settings', { frame_origins: ['https://app.acme.example'] });
    assert.deepEqual(body(patched).client.frame_origins, ['https://app.acme.example']);
    assert.equal((await admin.send('PATCH', '/console/api/settings', { frame_origins: ['javascript:alert(1)'] })).statusCode, 400);

    const tested = await analyst.send('POST', '/console/api/webhooks/test');
    assert.equal(tested.statusCode, 200, tested.body);
    const { sid } = await s.processedSession();
    const events = await until('events delivered', async () => body(await analyst.get(`/console/api/sessions/${sid}/webhooks`)).payloads as { event_id: string; attempts: unknown[] }[], (p) => p.length > 0 && p.every((e) => e.attempts.length > 0));
    const before = receiver.received.length;
    const replay = await analyst.send('POST', `/console/api/sessions/${sid}/webhooks/${events[0]!.event_id}/replay`);
    assert.equal(replay.statusCode, 202, replay.body);
    const again = await receiver.waitFor(before + 1);
    assert.ok(verifySignature(secret, again.at(-1)!), 'signed with the secret the console showed');

    const rotated = await admin.send('POST', '/console/api/settings/api-keys/rotate');
    assert.equal(rotated.statusCode, 200);
    assert.match(body(rotated).api_key, /^pbk_/);
    assert.equal((await s.app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/details/`, headers: s.keys })).statusCode, 403, 'the old key stops working');
    assert.equal((await s.app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/details/`, headers: { 'x-api-key': body(rotated).api_key, 'server-hash': body(rotated).server_hash } })).statusCode, 200);
    const newSecret = body(await admin.send('POST', '/console/api/settings/webhook/rotate-secret')).webhook_secret;
    assert.ok(newSecret && newSecret !== secret);

    const audit = body(await admin.get('/console/api/audit-log')).entries.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`).filter((a: string) => !a.includes('sign_in') && !a.includes('user.create'));
    assert.deepEqual(audit.reverse(), [
      'admin@acme.example webhook.set_url', 'admin@acme.example webhook.set_url', 'admin@acme.example settings.update', 'analyst@acme.example webhook.test',
      'analyst@acme.example webhook.replay', 'admin@acme.example api_keys.rotate', 'admin@acme.example webhook.rotate_secret',
    ]);
    const logs = s.app.logs.join('');
    for (const value of [secret, newSecret, body(rotated).api_key, body(rotated).server_hash]) assert.equal(logs.includes(value), false);
  });
});
