/**
 * What an expired plan may do (docs/session-api.md, "Plans"): nothing new, but read and delete
 * what the client has. The rule lives in the route wrapper; these tests hold the endpoints to
 * the documented table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registeredRoutes } from '../../src/http/response-contract.ts';
import { ADMIN_TOKEN, body, buildTestApp, forEachStore, type TestApp } from '../helper.ts';

const SESSION_DATA = '/bank-connect/v1/session_data';
const PAYMENT_REQUIRED = { error: { code: 'PAYMENT_REQUIRED', message: 'Payment required' } };

function setPlan(app: TestApp, clientId: string, plan: 'active' | 'expired') {
  return app.inject({ method: 'PATCH', url: `/admin/v1/clients/${clientId}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { plan_status: plan } });
}

forEachStore((kind) => {
  test('an expired plan starts nothing new, with the code session create answers', async (t) => {
    const app = await buildTestApp(t, kind, { aaSandbox: true });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey } })).session_id as string;
    const webhook = { webhook_url: 'http://127.0.0.1:9/hooks', webhook_mode: '1' };
    const registered = await app.inject({ method: 'POST', url: `${SESSION_DATA}/update_webhook/`, headers: keys, payload: webhook });
    assert.equal(registered.statusCode, 200, registered.body);

    assert.equal((await setPlan(app, c.clientId, 'expired')).statusCode, 200);

    const refused: [string, string, Record<string, unknown> | undefined][] = [
      ['POST', '/bank-connect/v1/session/', { link_id: 'u2', api_key: c.apiKey }],
      ['POST', '/bank-connect/v2/session/', { link_id: 'u2', api_key: c.apiKey }],
      ['POST', `${SESSION_DATA}/update_webhook/`, webhook],
      ['POST', `${SESSION_DATA}/rotate_webhook_secret/`, undefined],
      ['POST', `${SESSION_DATA}/send_test_webhook/`, undefined],
      ['POST', `${SESSION_DATA}/${sid}/initiate_processing/`, undefined],
      ['POST', '/bank-connect/v1/account_aggregator/fetch_recurring_aa_data/', { consent_id: 'c', date_time_range_from: '2026-01-01', date_time_range_to: '2026-02-01' }],
    ];
    for (const [method, url, payload] of refused) {
      const res = await app.inject({ method, url, headers: keys, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 402, `${method} ${url}: ${res.body}`);
      assert.deepEqual(body(res), PAYMENT_REQUIRED, url);
    }
    // The upload API keeps its own documented code for the same refusal.
    const upload = await app.inject({
      method: 'POST',
      url: '/bank-connect/v1/statement/upload_session/',
      headers: { 'x-api-key': c.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ session_id: sid, upload_type: 'BASE64', file: 'JVBERi0=' }).toString(),
    });
    assert.equal(upload.statusCode, 402, upload.body);
    assert.equal(body(upload).error.code, 'TRIAL_PERIOD_EXPIRED');

    // Credentials are still checked first: a wrong server hash is not told about the plan.
    const wrongHash = await app.inject({ method: 'POST', url: `${SESSION_DATA}/update_webhook/`, headers: { ...keys, 'server-hash': 'wrong' }, payload: webhook });
    assert.equal(wrongHash.statusCode, 403);
    assert.equal(body(wrongHash).error.code, 'ACCESS_DENIED');

    // Nothing refused changed anything: the webhook is the one registered before.
    const stored = await app.db.query<{ url: string }>('select webhook_url as url from clients');
    assert.deepEqual(stored.map((r) => r.url), [webhook.webhook_url]);

    // Once the plan is active again, the same calls work.
    assert.equal((await setPlan(app, c.clientId, 'active')).statusCode, 200);
    const again = await app.inject({ method: 'POST', url: `${SESSION_DATA}/update_webhook/`, headers: keys, payload: { ...webhook, webhook_url: 'http://127.0.0.1:9/other' } });
    assert.equal(again.statusCode, 200, again.body);
  });

  test('an expired plan still reads and deletes what the client has', async (t) => {
    const app = await buildTestApp(t, kind);
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey } })).session_id as string;
    assert.equal((await setPlan(app, c.clientId, 'expired')).statusCode, 200);

    for (const part of ['details', 'session_upload_status', 'get_pdfs', 'webhook_payloads']) {
      const res = await app.inject({ method: 'GET', url: `${SESSION_DATA}/${sid}/${part}/`, headers: keys });
      assert.equal(res.statusCode, 200, `${part}: ${res.body}`);
    }
    // Not processed: the answer is the session's own, not the plan's.
    const status = await app.inject({ method: 'GET', url: `${SESSION_DATA}/${sid}/session_status/`, headers: keys });
    assert.equal(body(status).error.code, 'PROCESSING_NOT_REQUESTED');
    const catalogue = await app.inject({ method: 'GET', url: '/bank-connect/v1/banks/catalogue/', headers: keys });
    assert.equal(catalogue.statusCode, 200);

    const deleted = await app.inject({ method: 'DELETE', url: `${SESSION_DATA}/${sid}/delete/`, headers: keys });
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal((await app.inject({ method: 'GET', url: `${SESSION_DATA}/${sid}/details/`, headers: keys })).statusCode, 410);
  });
});

test('exactly the documented endpoints refuse an expired plan', async (t) => {
  const app = await buildTestApp(t, 'pglite', { aaSandbox: true });
  const refusing = registeredRoutes(app.app)
    .filter((r) => r.contract?.errorCodes.some((code) => code === 'PAYMENT_REQUIRED' || code === 'TRIAL_PERIOD_EXPIRED'))
    .map((r) => `${r.method} ${r.url}`)
    .sort();
  assert.deepEqual(refusing, [
    'POST /bank-connect/v1/account_aggregator/fetch_recurring_aa_data/',
    'POST /bank-connect/v1/entity/',
    'POST /bank-connect/v1/entity/update_webhook/',
    'POST /bank-connect/v1/session/',
    'POST /bank-connect/v1/session_data/:session_id/initiate_processing/',
    'POST /bank-connect/v1/session_data/:session_id/webhook_payloads/:event_id/replay/',
    'POST /bank-connect/v1/session_data/rotate_webhook_secret/',
    'POST /bank-connect/v1/session_data/send_test_webhook/',
    'POST /bank-connect/v1/session_data/update_webhook/',
    'POST /bank-connect/v1/statement/bankless_upload/',
    'POST /bank-connect/v1/statement/bankless_upload_base64/',
    'POST /bank-connect/v1/statement/upload/',
    'POST /bank-connect/v1/statement/upload_base64/',
    'POST /bank-connect/v1/statement/upload_session/',
    'POST /bank-connect/v2/session/',
    'POST /console/api/sessions',
    'POST /console/api/sessions/:session_id/webhooks/:event_id/replay',
    'POST /console/api/settings/webhook',
    'POST /console/api/settings/webhook/rotate-secret',
    'POST /console/api/webhooks/test',
  ]);
});
