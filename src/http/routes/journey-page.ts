/**
 * The hosted journey the end user opens from the lender's `redirect_url`
 * (`<PUBLIC_URL>/?session_id=…`): one HTML document, one script and one stylesheet from
 * `src/journey/`, in plain browser JavaScript with no build step. The page talks only to this
 * server (`/journey/api/…`, `/assets/banks/…`); the one exception is the lender's own logo
 * (`logo_url`), whose origin is allowed for images on that session's page only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { journeySession } from '../../usecases/journey.ts';
import { safeOrigin } from '../../lib/web-origin.ts';
import type { Router } from '../route.ts';

export interface JourneyAssets {
  html: string;
  js: string;
  css: string;
  /** Content hash of the script and stylesheet, put in their URLs so they can be cached for a year. */
  version: string;
}

let cached: JourneyAssets | undefined;

/** Read once, on first use: building the app does no I/O, and the files never change while running. */
export function journeyAssets(): JourneyAssets {
  if (cached) return cached;
  const read = (name: string) => readFileSync(new URL(`../../journey/${name}`, import.meta.url), 'utf8');
  const js = read('journey.js');
  const css = read('journey.css');
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
  // Relative asset URLs: the page lives at PUBLIC_URL's root, which may sit under a proxy prefix.
  const html = read('page.html').replaceAll('{{version}}', version);
  cached = { html, js, css, version };
  return cached;
}

/**
 * Everything the page needs comes from here; a lender's logo is the only outside image.
 * `imageOrigins` are URLs or origins; each goes in only as a checked origin (safeOrigin), and
 * one that is not a plain http(s) host is left out, so a lender's logo_url can never add a
 * directive or a keyword to the policy.
 */
export function journeyCsp(imageOrigins: string[] = []): string {
  const sources = imageOrigins.map((o) => safeOrigin(o)).filter((o) => o !== null);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${[...new Set(sources)].join(' ')}`.trim(),
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // The iframe workflow: lenders embed the journey in their own pages, whose origins are not
    // known when the page is served. The page never trusts its parent: it only sends events,
    // and only to the session's parent_origins, so a framing page learns nothing from it.
    'frame-ancestors *',
  ].join('; ');
}

/** Headers shared by the journey's HTML pages (and the demo's). */
export function pageHeaders(imageOrigins: string[] = []): Record<string, string> {
  return {
    'content-security-policy': journeyCsp(imageOrigins),
    // The URL carries the session id, which is the journey's only credential: never send it on.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}

export function journeyPageRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/',
    auth: 'none',
    summary: 'The hosted journey page (the redirect_url of a session)',
    querystring: Type.Object({ session_id: Type.Optional(Type.String()), token: Type.Optional(Type.String({ description: 'Session API v2 links: the signed token, which the page hands to the journey API.' })) }),
    responses: { 200: { description: 'The page; it shows its own screen for an unknown session', contentType: 'text/html; charset=utf-8' } },
    async handler({ request }) {
      const { html } = journeyAssets();
      const sessionId = (request.query as Record<string, unknown>).session_id;
      // Bank logos come from this server, but by PUBLIC_URL, which may name it differently
      // from the address the browser used (localhost and 127.0.0.1, say).
      const imageOrigins = [deps.config.publicUrl];
      if (typeof sessionId === 'string') {
        // Unknown ids still get the page: it shows its own "link not valid" screen.
        const found = await journeySession(deps, sessionId).catch(() => null);
        const logo = found?.session.logoUrl;
        if (logo) imageOrigins.push(logo);
      }
      return { body: html, contentType: 'text/html; charset=utf-8', headers: pageHeaders(imageOrigins) };
    },
  });

  for (const [file, type] of [
    ['journey.js', 'text/javascript; charset=utf-8'],
    ['journey.css', 'text/css; charset=utf-8'],
  ] as const) {
    router.route({
      method: 'GET',
      url: `/journey/assets/${file}`,
      auth: 'none',
      summary: `The journey page's ${file.endsWith('.js') ? 'script' : 'stylesheet'}`,
      querystring: Type.Object({ v: Type.Optional(Type.String({ description: 'Content hash; a new version is a new URL.' })) }),
      responses: { 200: { description: file, contentType: type } },
      async handler() {
        const assets = journeyAssets();
        return {
          body: file.endsWith('.js') ? assets.js : assets.css,
          contentType: type,
          // The page asks for `?v=<content hash>`, so a new version is a new URL.
          headers: { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' },
        };
      },
    });
  }

  // The page's icon, linked from page.html. /favicon.ico too, for the pages without a link (the
  // AA sandbox's, the demo's): a browser asks for it on every load, and it must not be a 404.
  for (const url of ['/journey/assets/favicon.svg', '/favicon.ico']) {
    router.route({
      method: 'GET',
      url,
      auth: 'none',
      summary: "The journey page's icon",
      responses: { 200: { description: 'An SVG icon', contentType: 'image/svg+xml' } },
      async handler() {
        favicon ??= readFileSync(new URL('../../journey/favicon.svg', import.meta.url), 'utf8');
        return { body: favicon, contentType: 'image/svg+xml', headers: { 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' } };
      },
    });
  }
}

let favicon: string | undefined;
