import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_TOKEN, body, buildTestApp, forEachStore } from '../helper.ts';
import { ERROR_CODES } from '../../src/errors/codes.ts';

forEachStore((kind) => {
  test('healthz answers 200 while the store answers, 503 once it is gone', async (t) => {
    const app = await buildTestApp(t, kind, { freshStore: true });
    const ok = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(body(ok), { status: 'ok', store: kind });
    assert.match(String(ok.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    await app.db.close();
    const down = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(down.statusCode, 503);
    assert.equal(body(down).error.code, 'SERVICE_UNAVAILABLE');
  });

  test('unknown paths get the envelope; no secret or mobile number reaches the logs', async (t) => {
    const app = await buildTestApp(t, kind);
    const c = await app.client();
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    assert.equal(missing.statusCode, 404);
    assert.equal(body(missing).error.code, 'NOT_FOUND');
    // Refused by the router before any route runs: still the envelope, still a 4xx.
    for (const url of [`/bank-connect/v1/session_data/${'a'.repeat(300)}/details/`, '/bank-connect/v1/session_data/%ZZ/details/']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'x-api-key': c.apiKey, 'server-hash': c.serverHash } });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(body(res).error.code, 'INVALID_REQUEST');
    }

    const created = await app.inject({ method: 'POST', url: '/admin/v1/clients', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'logged' } });
    const secretKey = body(created).api_key as string;
    const secretHash = body(created).server_hash as string;
    await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey, mobile_number: '9123456780' } });
    await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', mobile_number: '9123456781' }, headers: { 'x-api-key': secretKey } });
    await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', mobile_number: '123' }, headers: { 'x-api-key': c.apiKey } });
    await app.inject({ method: 'GET', url: '/bank-connect/v1/banks/catalogue/', headers: { 'x-api-key': secretKey, 'server-hash': secretHash } });
    await app.inject({ method: 'GET', url: '/nope?signature=s3cr3t-link-signature' });
    const logs = app.logs.join('');
    // One lean line per request: method, path without its query, status, time, request id.
    const lines = app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    assert.equal(lines.length, 9, 'one line for each of the nine requests');
    assert.deepEqual(lines.slice(0, 3).map((l) => l.status), [404, 400, 400]);
    assert.deepEqual(Object.keys(lines[0]!).filter((k) => !['level', 'time', 'pid', 'hostname'].includes(k)).sort(), ['method', 'ms', 'msg', 'path', 'request_id', 'status']);
    assert.deepEqual(lines.at(-1), { ...lines.at(-1), method: 'GET', path: '/nope', status: 404 });
    assert.match(logs, /"request_id":"[0-9a-f-]{36}"/);
    assert.ok(!logs.includes('s3cr3t-link-signature'), 'a query string is never logged');
    for (const secret of [c.apiKey, c.serverHash, secretKey, secretHash, ADMIN_TOKEN, '9123456780', '9123456781']) {
      assert.ok(!logs.includes(secret), `log contains ${secret.slice(0, 6)}…`);
    }
  });

  test('openapi.json describes the Session API from the validating schemas', async (t) => {
    const app = await buildTestApp(t, kind);
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = body(res);
    assert.match(doc.openapi, /^3\./);
    const request = doc.components.schemas.CreateSessionRequest;
    assert.deepEqual(request.required, ['link_id']);
    assert.equal(request.properties.link_id.maxLength, 500);
    assert.equal(request.properties.redirect_url.maxLength, 200);
    assert.equal(request.properties.bank_name.maxLength, 50);
    assert.deepEqual(request.properties.mode.enum, ['pdf', 'aa', 'online']);
    assert.deepEqual(request.properties.aa_journey_mode.enum, ['only_once', 'only_recurring', 'once_with_recurring']);
    assert.deepEqual(request.properties.aa_recurring_frequency_unit.enum, ['hour', 'day', 'month', 'year']);
    assert.deepEqual(Object.keys(request.properties.metadata.properties), ['names', 'employer_names', 'companies_for_self_transfer']);
    assert.deepEqual(doc.components.schemas.Error.properties.error.properties.code.enum, Object.keys(ERROR_CODES));
    const post = doc.paths['/bank-connect/v1/session/'].post;
    for (const status of ['200', '400', '401', '402', '403', '405', '409', '413', '415']) assert.ok(post.responses[status], status);
    assert.ok(doc.paths['/bank-connect/v1/session_data/{session_id}/details/'].get);
  });
});
