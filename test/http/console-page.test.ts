/**
 * The lender console's page and bundle as served (src/http/routes/console-page.ts): one HTML
 * document for every console path, with its strict CSP and never cached; content-hashed assets
 * cached for a year; nothing answered with HTML under /console/api/ or /console/assets/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CONSOLE_CSP } from '../../src/http/routes/console-page.ts';
import { buildTestApp, type TestApp } from '../helper.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// The bundle is built by `npm install` and `npm run build` (a no-op when nothing changed). At the
// top level, not in a root before() hook: see test/aa/aa-notifications.test.ts.
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function isHtml(res: { headers: Record<string, unknown> }): boolean {
  return String(res.headers['content-type']).startsWith('text/html');
}

function assertEnvelope(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = JSON.parse(res.body);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
}

async function consolePage(app: TestApp, url: string) {
  const res = await app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', url);
  return res;
}

test('console page: one document for every console path, with a strict CSP, never cached', async (t) => {
  const app = await buildTestApp(t, 'pglite');
  assert.equal(CONSOLE_CSP, EXPECTED_CSP);

  const page = await consolePage(app, '/console/sessions');
  assert.equal(page.headers['content-security-policy'], EXPECTED_CSP);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  // Nothing inline that the CSP would block, nothing from elsewhere.
  assert.doesNotMatch(page.body, /<script>|<script(?![^>]*\ssrc=)[^>]*>|<style|style="|\son\w+="/i);
  const refs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(
    refs.map((r) => r.replace(/-[A-Z0-9]{8}\./, '-<hash>.')),
    ['/console/assets/favicon-<hash>.svg', '/console/assets/styles-<hash>.css', '/console/assets/main-<hash>.js'],
  );

  // The client routes: the server answers the same page wherever the app may be reloaded.
  for (const url of ['/console/sessions/', '/console/sign-in?next=%2Fconsole%2Fsessions%3Fstatus%3Dcompleted', '/console/sessions/6f1c0d4e-5b7a-4c1e-9d2f-0a1b2c3d4e5f', '/console/sessions?q=user-42&page=2', '/console/anything/else/here']) {
    const res = await consolePage(app, url);
    assert.equal(res.body, page.body, url);
    assert.equal(res.headers['content-security-policy'], EXPECTED_CSP, url);
    assert.equal(res.headers['cache-control'], 'no-store', url);
  }

  const root = await app.inject({ method: 'GET', url: '/console' });
  assert.equal(root.statusCode, 302);
  assert.equal(root.headers.location, '/console/sessions');
  assert.equal((await app.inject({ method: 'GET', url: '/console/' })).headers.location, '/console/sessions');
});

test('console assets: content-hashed, cached for a year, with their content types', async (t) => {
  const app = await buildTestApp(t, 'pglite');
  const page = await consolePage(app, '/console/sign-in');
  const refs = [...page.body.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
  let gzipped = 0;
  for (const url of refs) {
    const ext = url.slice(url.lastIndexOf('.') + 1);
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], types[ext], url);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['content-encoding'], undefined, `${url} is sent plain to a client that did not ask for gzip`);

    const zipped = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(zipped.statusCode, 200, url);
    if (zipped.headers['content-encoding'] === 'gzip') {
      assert.deepEqual(gunzipSync(zipped.rawPayload), res.rawPayload, url);
      if (ext !== 'svg') gzipped += zipped.rawPayload.length;
    } else gzipped += res.rawPayload.length;
    assert.match(String(zipped.headers.vary), /accept-encoding/i);
  }
  assert.equal(refs.length, 3);
  assert.ok(gzipped < 300 * 1024, `the console loads ${gzipped} bytes gzipped; the budget is 300 KB`);
});

test('console: unknown assets and API paths are 404s in the error envelope, never the page', async (t) => {
  const app = await buildTestApp(t, 'pglite');
  for (const url of ['/console/assets/main-AAAAAAAA.js', '/console/assets/styles-AAAAAAAA.css', '/console/assets/favicon-AAAAAAAA.svg', '/console/assets/notes.txt', '/console/assets/..%2Findex.html', '/console/assets']) {
    const res = await app.inject({ method: 'GET', url });
    assertEnvelope(res, 404, 'NOT_FOUND');
  }
  for (const url of ['/console/api/anything-unknown', '/console/api/anything/unknown', '/console/api/a/b/c', '/console/api']) {
    const res = await app.inject({ method: 'GET', url });
    assert.ok(!isHtml(res), `${url} was answered with the page`);
    assertEnvelope(res, 404, 'NOT_FOUND');
  }
  // Another method on an unknown API path: refused in the envelope (405 from the page's routes, or 404), never HTML.
  const post = await app.inject({ method: 'POST', url: '/console/api/anything-unknown', payload: {} });
  assert.ok(post.statusCode === 404 || post.statusCode === 405, post.body);
  assert.ok(!isHtml(post));
  assert.match(String(post.headers['content-type']), /^application\/json/);
});
