/** The journey page and its two assets: content types, caching, CSP, and the size budget. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { body, buildTestApp } from '../helper.ts';

test('journey page: one HTML document, one script, one stylesheet, all from this server', async (t) => {
  const app = await buildTestApp(t, 'pglite');
  const c = await app.client();
  const sid = body(await app.inject({
    method: 'POST',
    url: '/bank-connect/v1/session/',
    payload: { link_id: 'u', api_key: c.apiKey, logo_url: 'https://cdn.lender.example/logo.png' },
  })).session_id;

  const page = await app.inject({ method: 'GET', url: `/?session_id=${sid}` });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /^default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:\/\/journey\.passbook\.test https:\/\/cdn\.lender\.example;/);
  assert.match(csp, /frame-ancestors \*/);
  // Every asset is relative to this server; nothing inline, nothing from elsewhere.
  const refs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(refs.map((r) => r.replace(/\?v=[0-9a-f]{12}$/, '')), ['journey/assets/journey.css', 'journey/assets/journey.js']);
  assert.doesNotMatch(page.body, /<script>|<style>|style="/);

  const unknown = await app.inject({ method: 'GET', url: '/?session_id=nope' });
  assert.equal(unknown.statusCode, 200, 'the page itself explains an unknown link');
  assert.match(String(unknown.headers['content-security-policy']), /img-src 'self' https:\/\/journey\.passbook\.test;/);

  for (const [file, type] of [['journey.js', 'text/javascript; charset=utf-8'], ['journey.css', 'text/css; charset=utf-8']] as const) {
    const res = await app.inject({ method: 'GET', url: `/journey/assets/${file}?v=x` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], type);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    if (file === 'journey.js') assert.ok(res.rawPayload.length < 24 * 1024, `journey.js is ${res.rawPayload.length} bytes; the budget is 24 KiB (docs/journey.md)`);
  }
  assert.equal((await app.inject({ method: 'GET', url: '/journey/assets/other.js' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url: '/demo' })).statusCode, 404, 'no demo unless config.demo');
});
