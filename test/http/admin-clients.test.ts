import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_TOKEN, body, buildTestApp, forEachStore } from '../helper.ts';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

forEachStore((kind) => {
  test('admin API: create, list, get, update, rotate', async (t) => {
    const app = await buildTestApp(t, kind);
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/clients',
      headers: admin,
      payload: { name: 'Acme Lending', enabled_modes: ['pdf', 'aa'], allowed_redirect_hosts: ['Acme.example', '*.acme.in'] },
    });
    assert.equal(created.statusCode, 201, created.body);
    const c = body(created);
    assert.equal(c.name, 'Acme Lending');
    assert.deepEqual(c.enabled_modes, ['pdf', 'aa']);
    assert.equal(c.plan_status, 'active');
    assert.deepEqual(c.allowed_redirect_hosts, ['acme.example', '*.acme.in']);
    assert.match(c.api_key, /^pbk_[A-Za-z0-9_-]{32}$/);
    assert.match(c.server_hash, /^pbs_[A-Za-z0-9_-]{32}$/);
    assert.ok(!Number.isNaN(Date.parse(c.created_at)));

    // Only hashes are stored.
    const stored = await app.db.query<Record<string, string>>('select * from clients where client_id = $1', [c.client_id]);
    assert.ok(!JSON.stringify(stored).includes(c.api_key));
    assert.ok(!JSON.stringify(stored).includes(c.server_hash));

    const defaults = body(await app.inject({ method: 'POST', url: '/admin/v1/clients', headers: admin, payload: { name: 'Plain' } }));
    assert.deepEqual(defaults.enabled_modes, ['pdf', 'aa', 'online']);
    assert.deepEqual(defaults.allowed_redirect_hosts, []);

    const list = body(await app.inject({ method: 'GET', url: '/admin/v1/clients', headers: admin }));
    assert.equal(list.count, 2);
    assert.ok(!JSON.stringify(list).includes('api_key'));
    assert.ok(!JSON.stringify(list).includes('server_hash'));

    const one = await app.inject({ method: 'GET', url: `/admin/v1/clients/${c.client_id}`, headers: admin });
    assert.equal(body(one).name, 'Acme Lending');
    assert.equal(body(one).api_key, undefined);

    // A working key, then an update that takes effect at once.
    const session = () => app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', mode: 'online', bank_name: 'hdfc' }, headers: { 'x-api-key': c.api_key } });
    assert.equal((await session()).statusCode, 403);
    const patched = await app.inject({ method: 'PATCH', url: `/admin/v1/clients/${c.client_id}`, headers: admin, payload: { enabled_modes: ['online'], plan_status: 'active' } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(body(patched).enabled_modes, ['online']);
    assert.equal((await session()).statusCode, 200);
    const expired = await app.inject({ method: 'PATCH', url: `/admin/v1/clients/${c.client_id}/`, headers: admin, payload: { plan_status: 'expired' } });
    assert.equal(body(expired).plan_status, 'expired');
    assert.equal((await session()).statusCode, 402);
    await app.inject({ method: 'PATCH', url: `/admin/v1/clients/${c.client_id}`, headers: admin, payload: { plan_status: 'active', allowed_redirect_hosts: [] } });

    const rotated = await app.inject({ method: 'POST', url: `/admin/v1/clients/${c.client_id}/rotate-keys`, headers: admin });
    assert.equal(rotated.statusCode, 200);
    const r = body(rotated);
    assert.notEqual(r.api_key, c.api_key);
    assert.notEqual(r.server_hash, c.server_hash);
    assert.equal((await session()).statusCode, 401, 'the old key stops working');
    const fresh = await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u' }, headers: { 'x-api-key': r.api_key } });
    assert.equal(fresh.statusCode, 200);
    const read = await app.inject({
      method: 'GET',
      url: `/bank-connect/v1/session_data/${body(fresh).session_id}/details/`,
      headers: { 'x-api-key': r.api_key, 'server-hash': c.server_hash },
    });
    assert.equal(read.statusCode, 403, 'the old server hash stops working');
  });

  test('admin API refuses bad tokens and bad input with the envelope', async (t) => {
    const app = await buildTestApp(t, kind);
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: ADMIN_TOKEN }, { authorization: `Basic ${ADMIN_TOKEN}` }]) {
      const res = await app.inject({ method: 'GET', url: '/admin/v1/clients', headers });
      assert.equal(res.statusCode, 401);
      assert.equal(body(res).error.code, 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED');
    }
    const cases: [Record<string, unknown>, string, string?][] = [
      [{}, 'INVALID_REQUEST', 'name, This field is required.'],
      [{ name: 'x', enabled_modes: ['pdf', 'fax'] }, 'INVALID_REQUEST', 'enabled_modes, "fax" is not a valid choice.'],
      [{ name: 'x', enabled_modes: 'pdf' }, 'INVALID_REQUEST'],
      [{ name: 'x', plan_status: 'gold' }, 'INVALID_REQUEST', 'plan_status, "gold" is not a valid choice.'],
      [{ name: 'x', allowed_redirect_hosts: ['https://acme.example/path'] }, 'INVALID_REQUEST'],
      [{ name: 'x', frame_origins: ['https://app.example/path'] }, 'INVALID_REQUEST', 'frame_origins, "https://app.example/path" is not an origin such as https://app.example.com.'],
      [{ name: 'x', frame_origins: ['app.example'] }, 'INVALID_REQUEST'],
      [{ name: 'x'.repeat(201) }, 'INVALID_REQUEST', 'name, Ensure this field has no more than 200 characters.'],
    ];
    for (const [payload, code, message] of cases) {
      const res = await app.inject({ method: 'POST', url: '/admin/v1/clients', headers: admin, payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(body(res).error.code, code);
      if (message) assert.equal(body(res).error.message, message);
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [['GET', `/admin/v1/clients/${missing}`], ['GET', '/admin/v1/clients/nope'], ['POST', `/admin/v1/clients/${missing}/rotate-keys`]] as const) {
      const res = await app.inject({ method, url, headers: admin });
      assert.equal(res.statusCode, 404, url);
      assert.equal(body(res).error.code, 'CLIENT_NOT_FOUND');
    }
    const patchNothing = await app.inject({ method: 'PATCH', url: `/admin/v1/clients/${missing}`, headers: admin, payload: {} });
    assert.equal(patchNothing.statusCode, 400);
    const patchMissing = await app.inject({ method: 'PATCH', url: `/admin/v1/clients/${missing}`, headers: admin, payload: { plan_status: 'active' } });
    assert.equal(patchMissing.statusCode, 404);
    const del = await app.inject({ method: 'DELETE', url: '/admin/v1/clients', headers: admin });
    assert.equal(del.statusCode, 405);
  });

  test('without ADMIN_TOKEN the admin API does not exist', async (t) => {
    const app = await buildTestApp(t, kind, { adminToken: null });
    const res = await app.inject({ method: 'GET', url: '/admin/v1/clients', headers: admin });
    assert.equal(res.statusCode, 404);
    assert.equal(body(res).error.code, 'NOT_FOUND');
  });
});
