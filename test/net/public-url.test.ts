/**
 * Real servers on 127.0.0.1, no mocks. The machine has no network but loopback, so:
 * - non-loopback addresses appear only in `checkPublicUrl` tests on IP literals (judged without
 *   DNS or sockets) and in the pure `isPrivateAddress` tests;
 * - `fetchPublicUrl` refusals use loopback spellings pointed at a test server, which also counts
 *   connections, so a refusal is seen to happen before any connection;
 * - the only name resolved is `localhost` (from /etc/hosts).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  UrlRefusedError,
  checkPublicUrl,
  fetchPublicUrl,
  isPrivateAddress,
  type UrlRefusalReason,
} from '../../src/net/public-url.ts';

interface TestServer {
  origin: string;
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
}

/** Serves `handler`; an async one is not awaited, so its failure surfaces as an unhandled rejection. */
async function serve(t: TestContext, handler: (req: http.IncomingMessage, res: http.ServerResponse) => unknown): Promise<TestServer> {
  const server = http.createServer((req, res) => void handler(req, res));
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        // Servers that never answer keep their sockets; close() alone would wait for them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port, connections: () => connections };
}

async function assertRefused(promise: Promise<unknown>, reason: UrlRefusalReason, label?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UrlRefusedError, `${label ?? ''}: expected a UrlRefusedError, got ${String(error)}`);
    assert.equal(error.reason, reason, label);
    return true;
  });
}

/** Reads a request body on the server side. */
async function requestBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const fetchDefaults = { maxBytes: 1024, timeoutMs: 2000 };

// ---------------------------------------------------------------------------------------------
// isPrivateAddress (pure, no I/O)

test('isPrivateAddress: loopback, private, link-local, reserved and wrapped forms are private', () => {
  const privateAddresses = [
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '0.0.0.0',
    '0.1.2.3',
    '::',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    'fc00::1',
    'fd12:3456::1',
    '169.254.169.254',
    'fe80::1',
    'febf::1',
    'fe80::1%eth0',
    '100.64.0.1',
    '100.127.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    'ff02::1',
    '198.18.0.1',
    '198.19.255.255',
    '192.0.2.1',
    '2001:db8::1',
    // IPv4-mapped, -compatible and -translated spellings of private IPv4 addresses
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:7f00:0001',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    '::7f00:1',
    '::ffff:0:127.0.0.1',
    // NAT64 and 6to4 wrapping private IPv4 addresses
    '64:ff9b::127.0.0.1',
    '64:ff9b::a00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '2002:a00:1::1',
    '2002:c0a8:101::',
    // Teredo and local-use NAT64 are refused whole
    '2001::1',
    '64:ff9b:1::a00:1',
    // not an address at all: fail closed
    'localhost',
    '',
    '127.1',
    '2130706433',
  ];
  for (const ip of privateAddresses) assert.equal(isPrivateAddress(ip), true, ip);
});

test('isPrivateAddress: public unicast addresses, also when wrapped, are public', () => {
  const publicAddresses = [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '11.0.0.1',
    '2606:4700::1111',
    '2a00:1450:4001:80b::200e',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '64:ff9b::101:101',
    '2002:808:808::1',
  ];
  for (const ip of publicAddresses) assert.equal(isPrivateAddress(ip), false, ip);
});

// ---------------------------------------------------------------------------------------------
// checkPublicUrl (IP literals are judged without DNS; only localhost is resolved)

test('checkPublicUrl refuses private hosts in every spelling, before any connection', async () => {
  const urls = [
    'http://127.0.0.1/',
    'http://localhost/',
    'http://LOCALHOST:8080/x',
    'http://[::1]/',
    'http://0.0.0.0/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://100.64.0.1/',
    'http://198.18.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'http://[::]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://127.0.0.1./',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[2002:a9fe:a9fe::]/',
    'http://%31%32%37.0.0.1/',
  ];
  for (const url of urls) await assertRefused(checkPublicUrl(url, { allowPrivate: false }), 'private-address', url);
});

test('checkPublicUrl refuses other schemes, credentials and invalid URLs', async () => {
  for (const url of ['ftp://localhost/file', 'file:///etc/passwd', 'gopher://localhost/', 'data:text/plain,hi', 'javascript:alert(1)']) {
    await assertRefused(checkPublicUrl(url, { allowPrivate: true }), 'scheme', url);
  }
  await assertRefused(checkPublicUrl('http://localhost/', { allowPrivate: true, allowHttp: false }), 'scheme');
  for (const url of ['https://user:pass@localhost/', 'https://user@localhost/', 'https://:pass@localhost/']) {
    await assertRefused(checkPublicUrl(url, { allowPrivate: true }), 'credentials', url);
  }
  for (const url of ['not a url', '', 'http://', 'https://[::1/', 'http://0x7g.1/', '/relative/path']) {
    await assertRefused(checkPublicUrl(url, { allowPrivate: true }), 'invalid-url', url);
  }
});

test('checkPublicUrl accepts private hosts when allowPrivate is set, and returns the parsed URL', async () => {
  const url = await checkPublicUrl('http://localhost:8080/a?b=c', { allowPrivate: true });
  assert.ok(url instanceof URL);
  assert.equal(url.href, 'http://localhost:8080/a?b=c');
  assert.equal((await checkPublicUrl('https://[::1]/', { allowPrivate: true })).hostname, '[::1]');
  assert.equal((await checkPublicUrl('http://2130706433/', { allowPrivate: true })).hostname, '127.0.0.1');
});

test('UrlRefusedError carries its reason and never the URL', () => {
  const error = new UrlRefusedError('private-address');
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'UrlRefusedError');
  assert.equal(error.reason, 'private-address');
  assert.equal(new UrlRefusedError('http-status', 'status 500').message, 'status 500');
});

// ---------------------------------------------------------------------------------------------
// fetchPublicUrl

test('fetches from a loopback server when allowPrivate is set', async (t) => {
  const server = await serve(t, (req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.setHeader('x-seen-path', req.url ?? '');
    res.end('hello');
  });
  const response = await fetchPublicUrl(`${server.origin}/statement.pdf?sig=abc`, { allowPrivate: true, ...fetchDefaults });
  assert.equal(response.status, 200);
  assert.equal(response.body.toString('utf8'), 'hello');
  assert.equal(response.headers['content-type'], 'text/plain');
  assert.equal(response.headers['x-seen-path'], '/statement.pdf?sig=abc');
  assert.equal(response.url, `${server.origin}/statement.pdf?sig=abc`);
});

test('refuses loopback in every spelling without connecting when allowPrivate is false', async (t) => {
  const server = await serve(t, (_req, res) => res.end('should not be reached'));
  const { port } = server;
  const urls = [
    `http://127.0.0.1:${port}/`,
    // a name: refused by the socket's lookup, so this checks the connect-time guard
    `http://localhost:${port}/`,
    `http://[::1]:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f.1:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
  ];
  for (const url of urls) {
    await assertRefused(fetchPublicUrl(url, { allowPrivate: false, ...fetchDefaults }), 'private-address', url);
  }
  assert.equal(server.connections(), 0);
});

test('refuses schemes and credentials before connecting', async (t) => {
  const server = await serve(t, (_req, res) => res.end('should not be reached'));
  await assertRefused(fetchPublicUrl(`ftp://127.0.0.1:${server.port}/`, { allowPrivate: true, ...fetchDefaults }), 'scheme');
  await assertRefused(
    fetchPublicUrl(`${server.origin}/`, { allowPrivate: true, allowHttp: false, ...fetchDefaults }),
    'scheme',
  );
  await assertRefused(
    fetchPublicUrl(`http://user:pass@127.0.0.1:${server.port}/`, { allowPrivate: true, ...fetchDefaults }),
    'credentials',
  );
  await assertRefused(fetchPublicUrl('not a url', { allowPrivate: true, ...fetchDefaults }), 'invalid-url');
  assert.equal(server.connections(), 0);
});

test('non-2xx statuses are returned, not thrown', async (t) => {
  const server = await serve(t, (req, res) => {
    res.statusCode = req.url === '/missing' ? 404 : 500;
    res.end('nope');
  });
  const notFound = await fetchPublicUrl(`${server.origin}/missing`, { allowPrivate: true, ...fetchDefaults });
  assert.equal(notFound.status, 404);
  assert.equal(notFound.body.toString(), 'nope');
  assert.equal((await fetchPublicUrl(`${server.origin}/boom`, { allowPrivate: true, ...fetchDefaults })).status, 500);
});

test('POST sends the method, headers and body', async (t) => {
  const server = await serve(t, async (req, res) => {
    const body = await requestBody(req);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'], sig: req.headers['x-signature'], length: req.headers['content-length'] }));
  });
  const response = await fetchPublicUrl(`${server.origin}/hook`, {
    allowPrivate: true,
    ...fetchDefaults,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Signature': 'abc' },
    body: '{"event":"done","name":"ünïcode"}',
  });
  assert.deepEqual(JSON.parse(response.body.toString()), {
    method: 'POST',
    body: '{"event":"done","name":"ünïcode"}',
    type: 'application/json',
    sig: 'abc',
    length: String(Buffer.byteLength('{"event":"done","name":"ünïcode"}')),
  });
});

test('invalid request headers are a caller error (TypeError), not a refusal', async () => {
  await assert.rejects(
    fetchPublicUrl('http://127.0.0.1:1/', { allowPrivate: true, ...fetchDefaults, headers: { 'x-bad': 'a\r\nInjected: 1' } }),
    (error: unknown) => error instanceof TypeError && !(error instanceof UrlRefusedError),
  );
});

test('a body over maxBytes is refused: announced by Content-Length, chunked, or endless', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/declared') {
      res.setHeader('content-length', '100');
      res.end('x'.repeat(100));
    } else if (req.url === '/chunked') {
      // No Content-Length: the running count must catch it.
      res.write('x'.repeat(8));
      setTimeout(() => res.end('x'.repeat(8)), 10);
    } else if (req.url === '/endless') {
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 1);
      res.on('close', () => clearInterval(timer));
    } else {
      res.end('x'.repeat(10));
    }
  });
  const options = { allowPrivate: true, maxBytes: 10, timeoutMs: 2000 };
  await assertRefused(fetchPublicUrl(`${server.origin}/declared`, options), 'too-large', 'declared');
  await assertRefused(fetchPublicUrl(`${server.origin}/chunked`, options), 'too-large', 'chunked');
  await assertRefused(fetchPublicUrl(`${server.origin}/endless`, { ...options, maxBytes: 256 * 1024 }), 'too-large', 'endless');
  const exact = await fetchPublicUrl(`${server.origin}/exact`, options);
  assert.equal(exact.body.length, 10);
});

test('a server that never answers times out after about timeoutMs', async (t) => {
  const server = await serve(t, () => {
    // never answers
  });
  const started = Date.now();
  await assertRefused(fetchPublicUrl(`${server.origin}/`, { allowPrivate: true, maxBytes: 1024, timeoutMs: 300 }), 'timeout');
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 250 && elapsed < 1500, `took ${elapsed} ms`);
});

test('the timeout also covers a body that stalls after the headers', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.setHeader('content-length', '100');
    res.write('x'.repeat(10));
  });
  const started = Date.now();
  await assertRefused(fetchPublicUrl(`${server.origin}/`, { allowPrivate: true, maxBytes: 1024, timeoutMs: 300 }), 'timeout');
  assert.ok(Date.now() - started < 1500);
});

test('a body cut short by the server is a connection error', async (t) => {
  const server = await serve(t, (req, res) => {
    res.setHeader('content-length', '100');
    res.write('x'.repeat(10), () => setTimeout(() => req.socket.destroy(), 20));
  });
  await assertRefused(fetchPublicUrl(`${server.origin}/`, { allowPrivate: true, ...fetchDefaults }), 'connection');
});

test('a closed port is a connection error', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assertRefused(fetchPublicUrl(`http://127.0.0.1:${port}/`, { allowPrivate: true, ...fetchDefaults }), 'connection');
});

test('redirects are followed, each hop re-checked', async (t) => {
  const hits: string[] = [];
  const server = await serve(t, async (req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const body = await requestBody(req);
    const redirect = (status: number, location: string) => {
      res.statusCode = status;
      res.setHeader('location', location);
      res.end('redirecting');
    };
    if (req.url === '/one') return redirect(302, '/two');
    if (req.url === '/two') return redirect(301, `http://127.0.0.1:${(req.socket.localPort ?? 0).toString()}/three`);
    if (req.url === '/see-other') return redirect(303, '/final');
    if (req.url === '/temporary') return redirect(307, '/final');
    if (req.url === '/permanent') return redirect(308, '/final');
    if (req.url === '/loop') return redirect(302, '/loop');
    if (req.url === '/to-ftp') return redirect(302, 'ftp://127.0.0.1/file');
    if (req.url === '/to-credentials') return redirect(302, `http://user:pass@127.0.0.1:${req.socket.localPort ?? 0}/final`);
    if (req.url === '/no-location') {
      res.statusCode = 302;
      return res.end('no location');
    }
    res.end(`${req.method} ${body}`);
  });
  const options = { allowPrivate: true, ...fetchDefaults };

  const chained = await fetchPublicUrl(`${server.origin}/one`, options);
  assert.equal(chained.status, 200);
  assert.equal(chained.url, `${server.origin}/three`);
  assert.equal(chained.body.toString(), 'GET ');

  const post = { ...options, method: 'POST' as const, headers: { 'content-type': 'text/plain' }, body: 'payload' };
  assert.equal((await fetchPublicUrl(`${server.origin}/see-other`, post)).body.toString(), 'GET ');
  assert.equal((await fetchPublicUrl(`${server.origin}/temporary`, post)).body.toString(), 'POST payload');
  assert.equal((await fetchPublicUrl(`${server.origin}/permanent`, post)).body.toString(), 'POST payload');

  hits.length = 0;
  await assertRefused(fetchPublicUrl(`${server.origin}/loop`, options), 'too-many-redirects');
  assert.equal(hits.length, 4, 'the first request and the default three redirects');
  await assertRefused(fetchPublicUrl(`${server.origin}/one`, { ...options, maxRedirects: 0 }), 'too-many-redirects');
  assert.equal((await fetchPublicUrl(`${server.origin}/one`, { ...options, maxRedirects: 2 })).status, 200);

  await assertRefused(fetchPublicUrl(`${server.origin}/to-ftp`, options), 'scheme');
  await assertRefused(fetchPublicUrl(`${server.origin}/to-credentials`, options), 'credentials');
  await assertRefused(fetchPublicUrl(`${server.origin}/one`, { ...options, allowHttp: false }), 'scheme');

  const unredirected = await fetchPublicUrl(`${server.origin}/no-location`, options);
  assert.equal(unredirected.status, 302);
  assert.equal(unredirected.body.toString(), 'no location');
});

test('a redirect to another origin drops credential headers and keeps the rest', async (t) => {
  const target = await serve(t, (req, res) => {
    if (req.url === '/hop') {
      res.statusCode = 302;
      res.setHeader('location', '/');
      return res.end();
    }
    res.end(JSON.stringify({ authorization: req.headers.authorization ?? null, custom: req.headers['x-custom'] ?? null }));
  });
  // Another port is another origin.
  const elsewhere = await serve(t, (_req, res) => {
    res.statusCode = 302;
    res.setHeader('location', `${target.origin}/`);
    res.end();
  });
  const options = { allowPrivate: true, ...fetchDefaults, headers: { Authorization: 'Bearer secret', 'X-Custom': 'kept' } };

  const crossOrigin = await fetchPublicUrl(`${elsewhere.origin}/`, options);
  assert.deepEqual(JSON.parse(crossOrigin.body.toString()), { authorization: null, custom: 'kept' });

  const sameOrigin = await fetchPublicUrl(`${target.origin}/hop`, options);
  assert.deepEqual(JSON.parse(sameOrigin.body.toString()), { authorization: 'Bearer secret', custom: 'kept' });
});
