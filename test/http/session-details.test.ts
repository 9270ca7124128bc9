import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { body, buildTestApp, forEachStore } from '../helper.ts';

const details = (id: string) => `/bank-connect/v1/session_data/${id}/details/`;

forEachStore((kind) => {
  test('reading a session needs the right key and server hash, and only finds own sessions', async (t) => {
    let now = new Date('2026-11-21T06:00:00Z');
    const app = await buildTestApp(t, kind, { now: () => now });
    const mine = await app.client();
    const theirs = await app.client({ name: 'other' });
    const created = await app.inject({
      method: 'POST',
      url: '/bank-connect/v1/session/',
      payload: { link_id: 'u', api_key: mine.apiKey, session_expiry: 10 },
    });
    const id = body(created).session_id as string;

    const denied = [
      {},
      { 'x-api-key': mine.apiKey },
      { 'server-hash': mine.serverHash },
      { 'x-api-key': mine.apiKey, 'server-hash': 'wrong' },
      { 'x-api-key': mine.apiKey, 'server-hash': theirs.serverHash },
      { 'x-api-key': 'unknown', 'server-hash': mine.serverHash },
    ];
    for (const headers of denied) {
      const res = await app.inject({ method: 'GET', url: details(id), headers });
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.deepEqual(body(res), { error: { code: 'ACCESS_DENIED', message: 'Authentication credentials were not provided' } });
    }

    const own = { 'x-api-key': mine.apiKey, 'server-hash': mine.serverHash };
    const other = { 'x-api-key': theirs.apiKey, 'server-hash': theirs.serverHash };
    for (const [sessionId, headers] of [[id, other], [randomUUID(), own], ['not-a-uuid', own], ["1' or '1'='1", own]] as const) {
      const res = await app.inject({ method: 'GET', url: details(encodeURIComponent(sessionId)), headers });
      assert.equal(res.statusCode, 404, sessionId);
      assert.deepEqual(body(res), { error: { code: 'SESSION_NOT_FOUND', message: 'The provided session ID is invalid' } });
    }

    const ok = await app.inject({ method: 'GET', url: details(id), headers: own });
    assert.equal(body(ok).status, 'created');
    now = new Date(now.getTime() + 11 * 60_000);
    const later = await app.inject({ method: 'GET', url: details(id).slice(0, -1), headers: own });
    assert.equal(later.statusCode, 200);
    assert.equal(body(later).status, 'expired');

    const post = await app.inject({ method: 'POST', url: details(id), headers: own, payload: {} });
    assert.equal(post.statusCode, 405);
    assert.equal(body(post).error.code, 'METHOD_NOT_ALLOWED');
  });

  test('an expired plan can still read its sessions back', async (t) => {
    const app = await buildTestApp(t, kind);
    const c = await app.client();
    const id = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey } })).session_id;
    await app.inject({ method: 'PATCH', url: `/admin/v1/clients/${c.clientId}`, headers: { authorization: 'Bearer test-admin-token-0123456789' }, payload: { plan_status: 'expired' } });
    const res = await app.inject({ method: 'GET', url: details(id), headers: { 'x-api-key': c.apiKey, 'server-hash': c.serverHash } });
    assert.equal(res.statusCode, 200);
    const create = await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey } });
    assert.equal(create.statusCode, 402);
  });
});
