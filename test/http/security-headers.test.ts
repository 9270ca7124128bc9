/**
 * The headers every answer carries (http/security-headers.ts): API answers are never cached,
 * sniffed or framed, whatever their status; the journey's page and assets keep their own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { body, buildTestApp, forEachStore } from '../helper.ts';

function assertApiHeaders(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.headers['cache-control'], 'no-store', what);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(res.headers['x-frame-options'], 'DENY', what);
}

forEachStore((kind) => {
  test('session create, the data APIs and their refusals are never cached, sniffed or framed', async (t) => {
    const app = await buildTestApp(t, kind);
    const c = await app.client();
    const created = await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'u' } });
    assert.equal(created.statusCode, 200, created.body);
    assertApiHeaders(created, 'session create');
    const sessionId = body(created).session_id as string;

    const answers = {
      'data API': await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sessionId}/details/`, headers: { 'x-api-key': c.apiKey, 'server-hash': c.serverHash } }),
      'unknown path (404)': await app.inject({ method: 'GET', url: '/nope' }),
      'no API key (401)': await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u' } }),
      'wrong server hash (403)': await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sessionId}/details/`, headers: { 'x-api-key': c.apiKey, 'server-hash': 'wrong' } }),
      'other method (405)': await app.inject({ method: 'PUT', url: '/bank-connect/v1/session/' }),
      'bad path (400, before routing)': await app.inject({ method: 'GET', url: '/bank-connect/v1/session_data/%ZZ/details/' }),
    };
    const statuses = Object.fromEntries(Object.entries(answers).map(([what, res]) => [what, res.statusCode]));
    assert.deepEqual(statuses, {
      'data API': 200,
      'unknown path (404)': 404,
      'no API key (401)': 401,
      'wrong server hash (403)': 403,
      'other method (405)': 405,
      'bad path (400, before routing)': 400,
    });
    for (const [what, res] of Object.entries(answers)) assertApiHeaders(res, what);
  });

  test('the journey page stays embeddable, and its assets cacheable', async (t) => {
    const app = await buildTestApp(t, kind);
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    // Lenders frame the journey (the page's CSP says where): no X-Frame-Options to contradict it.
    assert.equal(page.headers['x-frame-options'], undefined);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors \*/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['cache-control'], 'no-store');

    const script = await app.inject({ method: 'GET', url: '/journey/assets/journey.js' });
    assert.equal(script.statusCode, 200);
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(script.headers['x-content-type-options'], 'nosniff');
  });
});
