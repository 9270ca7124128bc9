/** The journey page and its two assets: content types, caching, CSP, and the size budget. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { journeyCsp } from '../../src/http/routes/journey-page.ts';
import { ADMIN_TOKEN, body, buildTestApp } from '../helper.ts';

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
  assert.deepEqual(refs.map((r) => r.replace(/\?v=[0-9a-f]{12}$/, '')), ['journey/assets/favicon.svg', 'journey/assets/journey.css', 'journey/assets/journey.js']);
  assert.doesNotMatch(page.body, /<script>|<style>|style="/);

  const unknown = await app.inject({ method: 'GET', url: '/?session_id=nope' });
  assert.equal(unknown.statusCode, 200, 'the page itself explains an unknown link');
  assert.match(String(unknown.headers['content-security-policy']), /img-src 'self' https:\/\/journey\.passbook\.test;/);

  for (const [file, type] of [['journey.js', 'text/javascript; charset=utf-8'], ['journey.css', 'text/css; charset=utf-8']] as const) {
    const res = await app.inject({ method: 'GET', url: `/journey/assets/${file}?v=x` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], type);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    if (file === 'journey.js') assert.ok(res.rawPayload.length < 28 * 1024, `journey.js is ${res.rawPayload.length} bytes; the budget is 28 KiB (docs/journey.md)`);
  }
  // The icon: linked from the page, and at /favicon.ico for pages without a link, so no load asks for a 404.
  for (const url of ['/journey/assets/favicon.svg', '/favicon.ico']) {
    const icon = await app.inject({ method: 'GET', url });
    assert.equal(icon.statusCode, 200, url);
    assert.match(String(icon.headers['content-type']), /^image\/svg\+xml/);
    assert.match(icon.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  }
  assert.equal((await app.inject({ method: 'GET', url: '/journey/assets/other.js' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url: '/demo' })).statusCode, 404, 'no demo unless config.demo');
});

/** A CSP header as directive name → its sources, in order; a repeated name would be lost, so it fails here. */
function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    assert.ok(name, `empty directive in ${header}`);
    assert.ok(!directives.has(name), `${name} twice in ${header}`);
    directives.set(name, sources);
  }
  return directives;
}

const DIRECTIVES = ['default-src', 'script-src', 'style-src', 'img-src', 'connect-src', 'object-src', 'base-uri', 'form-action', 'frame-ancestors'];
const HOSTILE_LOGOS = [
  'https://x;sandbox/l.png',
  'https://x%3Bsandbox/l.png',
  "https://x'unsafe-inline'/l.png",
  'https://x"y/l.png',
  'https://x,y/l.png',
  'https://cdn.example;script-src*/l.png',
  'https://*/l.png',
];

test('journey page: a logo_url cannot add a directive or a source to the CSP', async (t) => {
  const app = await buildTestApp(t, 'pglite');
  const c = await app.client();
  const create = (logo: string) => app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey, logo_url: logo } });

  // Refused where it is accepted, as DRF refuses a URL whose host is not a host name.
  for (const logo of [...HOSTILE_LOGOS, 'https://x y/l.png']) {
    const res = await create(logo);
    assert.equal(res.statusCode, 400, logo);
    assert.deepEqual(body(res), { error: { code: 'INVALID_REQUEST', message: 'logo_url, Enter a valid URL.' } }, logo);
  }

  // And harmless if one is stored anyway (a row from before this check): no logo source at all.
  const sid = body(await create('https://cdn.lender.example/logo.png')).session_id as string;
  for (const logo of HOSTILE_LOGOS) {
    await app.db.query('update sessions set logo_url = $1 where session_id = $2', [logo, sid]);
    const page = await app.inject({ method: 'GET', url: `/?session_id=${sid}` });
    assert.equal(page.statusCode, 200, logo);
    const csp = parseCsp(String(page.headers['content-security-policy']));
    assert.deepEqual([...csp.keys()], DIRECTIVES, logo);
    assert.deepEqual(csp.get('img-src'), ["'self'", 'https://journey.passbook.test'], logo);
    assert.deepEqual(csp.get('frame-ancestors'), ['*'], logo);
  }

  // A valid logo still gets its origin, port and punycoded name included.
  for (const [logo, origin] of [
    ['https://cdn.lender.example/logo.png', 'https://cdn.lender.example'],
    ['https://cdn.lender.example:8443/a/b.svg?x=1;y', 'https://cdn.lender.example:8443'],
    ['https://bücher.example/logo.png', 'https://xn--bcher-kva.example'],
  ] as const) {
    const res = await create(logo);
    assert.equal(res.statusCode, 200, res.body);
    const page = await app.inject({ method: 'GET', url: `/?session_id=${body(res).session_id}` });
    const csp = parseCsp(String(page.headers['content-security-policy']));
    assert.deepEqual([...csp.keys()], DIRECTIVES);
    assert.deepEqual(csp.get('img-src'), ["'self'", 'https://journey.passbook.test', origin], logo);
  }
});

test('journey CSP: the builder keeps only plain http(s) origins, whatever it is given', () => {
  const csp = parseCsp(journeyCsp([...HOSTILE_LOGOS, 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url', 'http://[::1]:8080/x', 'https://a.example/x']));
  assert.deepEqual([...csp.keys()], DIRECTIVES);
  assert.deepEqual(csp.get('img-src'), ["'self'", 'http://[::1]:8080', 'https://a.example']);
});

test('client frame_origins: only plain origins are accepted', async (t) => {
  const app = await buildTestApp(t, 'pglite');
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  for (const origin of ['https://x;sandbox', 'https://x,y', "https://x'y", 'https://a.example/path']) {
    const res = await app.inject({ method: 'POST', url: '/admin/v1/clients', headers: admin, payload: { name: 'l', frame_origins: [origin] } });
    assert.equal(res.statusCode, 400, origin);
    assert.equal(body(res).error.message, `frame_origins, "${origin}" is not an origin such as https://app.example.com.`);
  }
  const ok = await app.inject({ method: 'POST', url: '/admin/v1/clients', headers: admin, payload: { name: 'l', frame_origins: ['https://app.lender.example:8443', '*'] } });
  assert.equal(ok.statusCode, 201, ok.body);
});
