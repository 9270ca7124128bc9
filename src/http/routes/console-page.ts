/**
 * The lender console's page and its bundle (console/ at the repository's root, built into
 * dist/console/ by scripts/build-console.mjs at `npm install` and `npm run build`). Every console
 * page is the same HTML document, which routes on the client (history API); its script and
 * stylesheet carry a content hash in their names, so they are cached for a year, and the HTML is
 * never cached. The console's API (/console/api/…) is declared elsewhere; this file answers no
 * path under it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Type } from 'typebox';
import { AppError } from '../../errors/codes.ts';
import type { Deps } from '../../usecases/deps.ts';
import type { Router } from '../route.ts';

/** The bundle, under the package root: the same from src/ (tsx) and from dist/. */
const BUILT = new URL('../../../dist/console/', import.meta.url);

/** Everything the page needs comes from this server; nothing inline, never framed. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
} as const;

const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** An asset's name as the build writes them: `<name>-<hash>.<ext>`, nothing that could leave the folder. */
const ASSET_NAME = /^[A-Za-z0-9_-]+\.[a-z0-9]+$/;

interface Asset {
  body: Buffer;
  /** The same bytes gzipped, when that is smaller. */
  gzip: Buffer | undefined;
  contentType: string;
}

interface Bundle {
  /** index.html's modification time: a rebuild while the server runs is picked up. */
  builtAt: number;
  html: string;
  assets: Map<string, Asset>;
}

let cached: Bundle | undefined;

function notBuilt(): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'The console is not built: run npm run build');
}

/**
 * The built page and assets, read on first use (building the app does no I/O) and again only
 * after a rebuild. Missing: 503, so that a server started without the build still serves the API.
 */
function bundle(): Bundle {
  let builtAt: number;
  try {
    builtAt = statSync(new URL('index.html', BUILT)).mtimeMs;
  } catch {
    throw notBuilt();
  }
  if (cached?.builtAt === builtAt) return cached;
  try {
    const html = readFileSync(new URL('index.html', BUILT), 'utf8');
    const assets = new Map<string, Asset>();
    for (const name of readdirSync(new URL('assets/', BUILT))) {
      const contentType = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
      if (!contentType || !ASSET_NAME.test(name)) continue;
      const body = readFileSync(new URL(`assets/${name}`, BUILT));
      const gzip = gzipSync(body, { level: 9 });
      assets.set(name, { body, gzip: gzip.length < body.length ? gzip : undefined, contentType });
    }
    cached = { builtAt, html, assets };
    return cached;
  } catch {
    // Caught half-way through a rebuild (scripts/build-console.mjs empties the folder first).
    throw notBuilt();
  }
}

/** Whether an Accept-Encoding header takes gzip (`gzip` or `*`, with a q-value above 0). */
function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function page(path: string): { body: string; contentType: string; headers: Record<string, string> } {
  // Paths under the API and the assets are never pages: an unknown API path must not be
  // answered with HTML (a client would read it as a success).
  if (/^\/console\/(api|assets)(\/|$)/.test(path)) throw new AppError('NOT_FOUND', `No route for GET ${path}.`);
  return { body: bundle().html, contentType: 'text/html; charset=utf-8', headers: { ...PAGE_HEADERS } };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function consolePageRoutes(router: Router, _deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/console',
    auth: 'none',
    summary: 'The lender console: to its session list',
    responses: { 302: { description: 'To /console/sessions (location header)', redirect: true } },
    async handler() {
      return { status: 302, body: '', headers: { location: '/console/sessions', 'cache-control': 'no-store' } };
    },
  });

  // Every console page is the one document; the app picks the screen from the path. One route per
  // depth rather than a wildcard (`/console/*`, which @fastify/swagger names `/console/{*}` in
  // /openapi.json): console paths are at most three segments deep. Declared API routes
  // (/console/api/…) and the assets' routes are static or more specific, so they win; anything
  // else under /console/api/ or /console/assets/ reaches these routes and is refused with 404.
  const pageResponses = {
    200: { description: 'The console page (the same document for every console path; the page routes on the client)', contentType: 'text/html; charset=utf-8' },
  } as const;
  const PageQuery = Type.Object({ next: Type.Optional(Type.String({ description: 'Sign-in page: the console path to return to.' })) });
  for (const [url, params] of [
    ['/console/:page', Type.Object({ page: Type.String({ description: 'sign-in, sessions, …' }) })],
    ['/console/:page/:id', Type.Object({ page: Type.String(), id: Type.String({ description: 'A session id, …' }) })],
    ['/console/:page/:id/:part', Type.Object({ page: Type.String(), id: Type.String(), part: Type.String() })],
  ] as const) {
    router.route({
      method: 'GET',
      url,
      auth: 'none',
      summary: 'A lender console page',
      params,
      querystring: PageQuery,
      responses: pageResponses,
      errors: ['NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      async handler({ request }) {
        return page(pathOf(request.url));
      },
    });
  }

  // One route per kind of file, so each declares its content type: `:file.js` and the others
  // match the name without its extension.
  for (const [ext, what] of [
    ['js', 'script'],
    ['css', 'stylesheet'],
    ['svg', 'icon'],
  ] as const) {
    const contentType = CONTENT_TYPES[`.${ext}`]!;
    router.route({
      method: 'GET',
      url: `/console/assets/:file.${ext}`,
      auth: 'none',
      summary: `The lender console's ${what}`,
      description: 'Its name carries a content hash (a new build is a new name), so it is cached for a year.',
      params: Type.Object({ file: Type.String({ description: `<name>-<hash>, as the console page names it (without .${ext})` }) }),
      responses: { 200: { description: `The ${what}`, contentType } },
      errors: ['NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      async handler({ path, request }) {
        const name = `${path.file}.${ext}`;
        const asset = bundle().assets.get(name);
        if (!asset) throw new AppError('NOT_FOUND', `No console asset named ${name}.`);
        const headers: Record<string, string> = { 'cache-control': IMMUTABLE, 'x-content-type-options': 'nosniff', vary: 'accept-encoding' };
        const gzip = asset.gzip !== undefined && acceptsGzip(request.headers['accept-encoding']);
        if (gzip) headers['content-encoding'] = 'gzip';
        return { body: gzip ? asset.gzip! : asset.body, contentType: asset.contentType, headers };
      },
    });
  }
}
