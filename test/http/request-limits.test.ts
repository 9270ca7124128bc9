/**
 * What a client can make the server hold: credentials in headers are checked before any body is
 * read, a form is capped as a whole, and requests and idle connections time out. These need a
 * real socket: what matters is what the server reads, and when it answers and hangs up.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { body, buildTestApp, forEachStore, type TestApp, type TestAppOptions } from '../helper.ts';

const MB = 1024 * 1024;
/** Generous: each answer below is expected within a second or two, and without the limits never comes. */
const DEADLINE_MS = 20_000;

/** The test app, listening on a port of loopback, with the HTTP timeouts given. */
async function listening(t: TestContext, kind: 'pglite' | 'postgres', http: Partial<Config['http']> = {}, options: TestAppOptions = {}): Promise<{ port: number; test: TestApp }> {
  const testApp = await buildTestApp(t, kind, options);
  const defaults = loadConfig({});
  const config: Config = { ...defaults, ...testApp.deps.config, demo: false, http: { ...defaults.http, ...http } };
  const logStream = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await buildApp({ deps: testApp.deps, config, logStream, checkResponses: true });
  t.after(async () => {
    // A connection a failed test left open must not hold the close.
    app.server.closeAllConnections();
    await app.close();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as { port: number }).port, test: testApp };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw connection: what the server sends back, parsed once a whole answer has arrived. */
class RawClient {
  readonly socket: Socket;
  private received = Buffer.alloc(0);
  readonly answer: Promise<Answer>;
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    // The server may reset a connection it hangs up on while this side is still sending.
    this.socket.on('error', () => {});
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
    this.answer = new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.received = Buffer.concat([this.received, chunk]);
        const parsed = parseAnswer(this.received);
        if (parsed) {
          this.socket.off('data', onData);
          resolve(parsed);
        }
      };
      this.socket.on('data', onData);
      this.socket.on('close', () => reject(new Error(`closed without a whole answer: ${JSON.stringify(this.received.toString('latin1'))}`)));
    });
    this.answer.catch(() => {});
  }

  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }
}

function parseAnswer(bytes: Buffer): Answer | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length'] ?? 0);
  if (bytes.length < end + 4 + length) return null;
  return { status: Number(statusLine!.split(' ')[1]), headers, body: bytes.subarray(end + 4, end + 4 + length).toString('utf8') };
}

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function head(method: string, url: string, headers: Record<string, string | number>): string {
  return `${method} ${url} HTTP/1.1\r\nhost: localhost\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

const BOUNDARY = '----passbook-limits';
/** Form fields of `size` bytes each, named f0, f1, …, and the closing delimiter. */
function formOf(count: number, size: number): { first(bytes: number): Buffer; length: number } {
  const field = (i: number) => Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="f${i}"\r\n\r\n${'a'.repeat(size)}\r\n`);
  const closing = Buffer.from(`--${BOUNDARY}--\r\n`);
  const length = Array.from({ length: count }, (_, i) => field(i).length).reduce((a, b) => a + b, 0) + closing.length;
  return {
    length,
    first(bytes) {
      const out: Buffer[] = [];
      let total = 0;
      for (let i = 0; i < count && total < bytes; i++) {
        out.push(field(i));
        total += out.at(-1)!.length;
      }
      return Buffer.concat(out).subarray(0, bytes);
    },
  };
}
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

forEachStore((kind) => {
  test('unknown credentials in headers are refused before the body is read: a declared 100 MB form is never taken in', async (t) => {
    const { port } = await listening(t, kind);
    const form = formOf(100, MB);
    const cases: { url: string; headers: Record<string, string>; status: number; code: string }[] = [
      { url: '/bank-connect/v1/session/', headers: { 'x-api-key': 'not-a-key' }, status: 401, code: 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED' },
      { url: '/bank-connect/v1/session_data/update_webhook/', headers: { 'x-api-key': 'not-a-key', 'server-hash': 'nope' }, status: 403, code: 'ACCESS_DENIED' },
      { url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': 'not-a-key' }, status: 403, code: 'ACCESS_DENIED' },
    ];
    for (const c of cases) {
      const client = new RawClient(port);
      client.write(head('POST', c.url, { ...c.headers, 'content-type': MULTIPART, 'content-length': form.length }));
      // The first 64 KB of 100 MB: the rest is never sent, so only an answer given without
      // reading the body can arrive.
      client.write(form.first(64 * 1024));
      const answer = await within(client.answer, c.url);
      assert.equal(answer.status, c.status, c.url);
      assert.equal(JSON.parse(answer.body).error.code, c.code, c.url);
      // Rather than reading the other 99.9 MB to throw them away, the server hangs up.
      assert.equal(answer.headers.connection, 'close', c.url);
      await within(client.closed, `${c.url}: connection closed`);
    }
  });

  test('a form is capped as a whole: many fields, each under the field limit, answer 413 as the body outgrows the limit', async (t) => {
    const { port, test: app } = await listening(t, kind, {}, { limits: { maxBytes: MB } });
    const { apiKey } = await app.client();
    // Session creation: 1 MB, whether the key comes in a header or in the form itself.
    const form = formOf(100, MB - 1024);
    for (const headers of [{ 'x-api-key': apiKey }, {}] as Record<string, string>[]) {
      const client = new RawClient(port);
      client.write(head('POST', '/bank-connect/v1/session/', { ...headers, 'content-type': MULTIPART, 'content-length': form.length }));
      client.write(form.first(3 * MB));
      const answer = await within(client.answer, 'session create');
      assert.equal(answer.status, 413);
      assert.deepEqual(JSON.parse(answer.body), { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than the 1 MB limit.' } });
      assert.equal(answer.headers.connection, 'close');
      await within(client.closed, 'session create: connection closed');
    }

    // An upload: its file within MAX_UPLOAD_MB (1 MB here), but other fields make the whole
    // form larger than the route's limit (room for a 1 MB file as Base64).
    const fields = [0, 1].map((i) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="note${i}"\r\n\r\n${'n'.repeat(400 * 1024)}\r\n`).join('');
    const payload = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="session_id"\r\n\r\nabc\r\n--${BOUNDARY}\r\ncontent-disposition: form-data; name="upload_type"\r\n\r\nPDF\r\n${fields}`),
      Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="s.pdf"\r\ncontent-type: application/pdf\r\n\r\n`),
      Buffer.alloc(900 * 1024, 0x41),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const upload = await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': apiKey, 'content-type': MULTIPART }, payload });
    assert.equal(upload.statusCode, 413, upload.body);
    assert.equal(body(upload).error.code, 'PAYLOAD_TOO_LARGE');
    assert.match(body(upload).error.message, /^Request body is larger than the 1\.5 MB limit\.$/);
  });

  test('a trickled request is cut off at the request timeout, and its headers at the headers timeout, with 408 in the envelope', async (t) => {
    const { port } = await listening(t, kind, { requestTimeoutMs: 1000, headersTimeoutMs: 500 });

    // A body that would take 100 s: one byte every 100 ms.
    const slowBody = new RawClient(port);
    slowBody.write(head('POST', '/bank-connect/v1/session/', { 'content-type': 'application/json', 'content-length': 1000 }));
    let sent = 0;
    const trickle = setInterval(() => {
      slowBody.write(sent++ === 0 ? '{' : ' ');
    }, 100);
    t.after(() => clearInterval(trickle));
    const cut = await within(slowBody.answer, 'trickled body');
    clearInterval(trickle);
    assert.equal(cut.status, 408);
    assert.equal(JSON.parse(cut.body).error.code, 'REQUEST_TIMEOUT');
    assert.equal(cut.headers['x-content-type-options'], 'nosniff');
    assert.ok(sent < 1000, 'answered before the body was complete');
    await within(slowBody.closed, 'trickled body: connection closed');

    const slowHeaders = new RawClient(port);
    slowHeaders.write('GET /healthz HTTP/1.1\r\nhost: localhost\r\n');
    const drip = setInterval(() => slowHeaders.write('x-drip: 1\r\n'), 100);
    t.after(() => clearInterval(drip));
    const cutHeaders = await within(slowHeaders.answer, 'trickled headers');
    clearInterval(drip);
    assert.equal(cutHeaders.status, 408);
    assert.equal(JSON.parse(cutHeaders.body).error.code, 'REQUEST_TIMEOUT');
  });

  test('requests the HTTP server refuses before any route still get the envelope', async (t) => {
    const { port } = await listening(t, kind);
    const garbage = new RawClient(port);
    garbage.write('NOT HTTP AT ALL\r\n\r\n');
    const malformed = await within(garbage.answer, 'malformed request');
    assert.equal(malformed.status, 400);
    assert.deepEqual(JSON.parse(malformed.body), { error: { code: 'INVALID_REQUEST', message: 'Malformed HTTP request.' } });

    // Node's limit on headers is 16 KB.
    const huge = new RawClient(port);
    huge.write(head('GET', '/healthz', { 'x-padding': 'p'.repeat(20 * 1024) }));
    const tooLarge = await within(huge.answer, 'headers too large');
    assert.equal(tooLarge.status, 431);
    assert.equal(JSON.parse(tooLarge.body).error.code, 'HEADERS_TOO_LARGE');
    assert.equal(tooLarge.headers['cache-control'], 'no-store');
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async (t) => {
    const { port } = await listening(t, kind, { keepAliveTimeoutMs: 300 });
    const client = new RawClient(port);
    client.write(head('GET', '/healthz', { connection: 'keep-alive' }));
    const answer = await within(client.answer, 'healthz');
    assert.equal(answer.status, 200);
    assert.notEqual(answer.headers.connection, 'close');
    // Nothing more is sent: the server hangs up (Fastify's default would wait 72 s).
    await within(client.closed, 'idle connection closed');
  });
});
