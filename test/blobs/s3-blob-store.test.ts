/**
 * The S3 adapter against a real S3-compatible server (s3rver) on 127.0.0.1.
 *
 * s3rver 3.7.1 checks that the access key id exists but accepts any V4 signature (its V4
 * verification is unimplemented). So a front server recomputes each request's signature from
 * what actually arrived (method, raw path and query, the signed headers) with the real secret,
 * using the SigV4 signer the AWS SDK itself is built on, before handing the request to s3rver,
 * and answers 403 SignatureDoesNotMatch as S3 would otherwise. That shows both that a request
 * arrives as it was signed and how a wrong secret is reported.
 * List pagination runs against an s3rver in a child process (see startLegacyProviderS3rver).
 *
 * s3rver also answers some concurrent deletes under one prefix with 500 InternalError (each
 * delete removes directories it finds empty, racing the others); the SDK's retry of 5xx
 * answers absorbs that here, as it absorbs S3's own transient 500s and 503s.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { openBlobStore } from '../../src/blobs/open-blob-store.ts';
import { S3BlobStore, type S3BlobStoreOptions } from '../../src/blobs/s3-blob-store.ts';

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  callback(): RequestHandler;
}
type S3rverClass = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const BUCKET = 'passbook';
const REGION = 'ap-south-1';
// s3rver's one built-in account; the secret is never sent, only used to sign.
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';

interface TestS3 {
  /** s3rver itself: checks the access key id only. */
  directEndpoint: string;
  /** s3rver behind the signature-checking front. */
  endpoint: string;
  /** `METHOD /path?query` of every request whose signature the front accepted. */
  verifiedRequests: string[];
  store(overrides?: Partial<S3BlobStoreOptions>): S3BlobStore;
}

function sendSignatureMismatch(res: ServerResponse, detail: string): void {
  res.writeHead(403, { 'content-type': 'application/xml' });
  res.end(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
      `<Message>The request signature we calculated does not match the signature you provided. ${detail}</Message></Error>`,
  );
}

const verifier = new SignatureV4({
  service: 's3',
  region: REGION,
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  sha256: Hash.bind(null, 'sha256'),
  // S3 signs the path as sent, without SigV4's second round of escaping.
  uriEscapePath: false,
});

/** The Authorization header S3 would expect for what arrived: the signed headers, as they came. */
async function expectedAuthorization(req: IncomingMessage, signedHeaderNames: string[], headers: Record<string, string>): Promise<string> {
  const url = new URL(req.url ?? '/', 'http://front');
  const query: Record<string, string> = {};
  for (const pair of url.search.slice(1).split('&').filter(Boolean)) {
    const [name = '', value = ''] = pair.split('=');
    query[decodeURIComponent(name)] = decodeURIComponent(value);
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(headers['x-amz-date'] ?? '');
  if (date === null) return 'no valid x-amz-date';
  const signed = await verifier.sign(
    { method: req.method ?? '', protocol: 'http:', hostname: url.hostname, path: url.pathname, query, headers },
    {
      signingDate: new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`),
      signableHeaders: new Set(signedHeaderNames),
    },
  );
  return signed.headers.authorization ?? '';
}

/**
 * Checks each request's SigV4 signature against the real secret. The first `slowDowns`
 * requests are answered as a throttling S3 answers them: 503 SlowDown.
 */
function signatureChecker(next: RequestHandler, verifiedRequests: string[], slowDowns: number): RequestHandler {
  let requestsSeen = 0;
  return (req, res) => {
    if (++requestsSeen <= slowDowns) {
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      return;
    }
    const authorization = req.headers.authorization ?? '';
    const signedHeaderNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
      if (!signedHeaderNames.includes(required)) return sendSignatureMismatch(res, `${required} is not signed`);
    }
    const headers: Record<string, string> = {};
    for (const name of signedHeaderNames) {
      const value = req.headers[name];
      if (typeof value !== 'string') return sendSignatureMismatch(res, `signed header ${name} is missing`);
      headers[name] = value;
    }
    // The body stays unread (and buffered) until s3rver reads it, after the check.
    void expectedAuthorization(req, signedHeaderNames, headers).then((expected) => {
      if (authorization !== expected) return sendSignatureMismatch(res, 'Check your key and signing method.');
      // The path only: the SDK adds an x-id=<operation> query parameter to object requests.
      verifiedRequests.push(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
      next(req, res);
    });
  };
}

async function startS3(t: TestContext, options: { slowDowns?: number } = {}): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'passbook-s3rver-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  const { port: directPort } = await s3rver.run();
  t.after(() => s3rver.close());

  const verifiedRequests: string[] = [];
  const front = createServer(signatureChecker(s3rver.callback(), verifiedRequests, options.slowDowns ?? 0));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => front.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  return {
    directEndpoint: `http://127.0.0.1:${directPort}`,
    endpoint,
    verifiedRequests,
    store: (overrides = {}) =>
      new S3BlobStore({
        endpoint,
        bucket: BUCKET,
        region: REGION,
        accessKeyId: ACCESS_KEY_ID,
        secretAccessKey: SECRET_ACCESS_KEY,
        ...overrides,
      }),
  };
}

/**
 * s3rver in a child process started with --openssl-legacy-provider, for list pagination: s3rver
 * encrypts its continuation tokens with DES, which OpenSSL 3 (Node 17+) refuses by default, so
 * in this process every truncated listing would fail with 500 InternalError.
 */
async function startLegacyProviderS3rver(t: TestContext): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'passbook-s3rver-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const script = `
    const S3rver = require('s3rver');
    new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: process.argv[1],
                 configureBuckets: [{ name: ${JSON.stringify(BUCKET)} }] })
      .run().then(({ port }) => console.log('listening on ' + port));`;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script, directory], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`s3rver exited before listening:\n${output}`)));
  });
  return `http://127.0.0.1:${port}`;
}

test('binary blobs round-trip byte for byte, including a 3 MB one', async (t) => {
  const s3 = await startS3(t);
  const store = s3.store();
  const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
  const large = randomBytes(3 * 1024 * 1024);
  await store.put('s1/every-byte.bin', everyByte);
  await store.put('s1/large.pdf', large);
  await store.put('s1/empty', new Uint8Array(0));
  const backing = Buffer.from('xxHELLOxx');
  await store.put('s1/view', backing.subarray(2, 7));

  assert.deepEqual(await store.get('s1/every-byte.bin'), Buffer.from(everyByte));
  const got = await store.get('s1/large.pdf');
  assert.ok(got !== null && Buffer.isBuffer(got));
  assert.ok(got.equals(large));
  assert.deepEqual(await store.get('s1/empty'), Buffer.alloc(0));
  assert.equal((await store.get('s1/view'))?.toString(), 'HELLO');
  assert.ok(s3.verifiedRequests.includes('PUT /passbook/s1/large.pdf'), s3.verifiedRequests.join('\n'));
});

test('BLOB_STORE=s3 config opens this adapter (loaded on demand)', async (t) => {
  const s3 = await startS3(t);
  const blobStore = { kind: 's3' as const, endpoint: s3.endpoint, bucket: BUCKET, region: REGION, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };
  const store = await openBlobStore({ blobStore, dataDir: '/nonexistent' });
  assert.ok(store instanceof S3BlobStore);
  await store.put('s1/a.pdf', Buffer.from('a'));
  assert.deepEqual(s3.verifiedRequests, ['PUT /passbook/s1/a.pdf']);
});

test('a missing key reads as null; a missing bucket is an error, not a missing blob', async (t) => {
  const s3 = await startS3(t);
  const store = s3.store();
  assert.equal(await store.get('nothing'), null);
  await store.put('s1/a.pdf', Buffer.from('a'));
  assert.equal(await store.get('s1/b.pdf'), null);
  assert.equal(await store.get('s1'), null);
  await assert.rejects(s3.store({ bucket: 'no-such-bucket' }).get('s1/a.pdf'), /S3 GetObject of "s1\/a.pdf" failed: 404 NoSuchBucket/);
});

test('put replaces an earlier blob', async (t) => {
  const store = (await startS3(t)).store();
  await store.put('s1/a.pdf', Buffer.from('first version, longer'));
  await store.put('s1/a.pdf', Buffer.from('second'));
  assert.equal((await store.get('s1/a.pdf'))?.toString(), 'second');
});

test('delete removes the blob and is idempotent', async (t) => {
  const store = (await startS3(t)).store();
  await store.delete('never/existed');
  await store.put('s1/a.pdf', Buffer.from('a'));
  await store.put('s1/b.pdf', Buffer.from('b'));
  await store.delete('s1/a.pdf');
  assert.equal(await store.get('s1/a.pdf'), null);
  await store.delete('s1/a.pdf');
  assert.equal((await store.get('s1/b.pdf'))?.toString(), 'b');
});

test('deletePrefix removes everything under prefix/, counts it, and leaves other prefixes alone', async (t) => {
  const s3 = await startS3(t);
  const store = s3.store();
  await store.put('s1/a.pdf', Buffer.from('a'));
  await store.put('s1/b.pdf', Buffer.from('b'));
  await store.put('s1/nested/c.pdf', Buffer.from('c'));
  await store.put('s10/a.pdf', Buffer.from('s10'));
  await store.put('s2/a.pdf', Buffer.from('s2'));
  await store.put('s1.pdf', Buffer.from('sibling'));

  assert.equal(await store.deletePrefix('s1'), 3);
  for (const key of ['s1/a.pdf', 's1/b.pdf', 's1/nested/c.pdf']) assert.equal(await store.get(key), null, key);
  assert.equal((await store.get('s10/a.pdf'))?.toString(), 's10');
  assert.equal((await store.get('s2/a.pdf'))?.toString(), 's2');
  assert.equal((await store.get('s1.pdf'))?.toString(), 'sibling');
  assert.equal(await store.deletePrefix('s1'), 0);
  assert.equal(await store.deletePrefix('never'), 0);
});

test('deletePrefix follows continuation tokens across list pages', async (t) => {
  const store = new S3BlobStore({
    endpoint: await startLegacyProviderS3rver(t),
    bucket: BUCKET,
    region: REGION,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    listPageSize: 2,
  });
  for (let i = 0; i < 7; i++) await store.put(`s1/statement-${i}.pdf`, Buffer.from(String(i)));
  await store.put('s2/keep.pdf', Buffer.from('keep'));

  // 7 keys in pages of 2: only following all three continuation tokens finds them all.
  assert.equal(await store.deletePrefix('s1'), 7);
  for (let i = 0; i < 7; i++) assert.equal(await store.get(`s1/statement-${i}.pdf`), null);
  assert.equal((await store.get('s2/keep.pdf'))?.toString(), 'keep');
});

test('a throttled request is retried, signed afresh, and succeeds', async (t) => {
  const s3 = await startS3(t, { slowDowns: 2 });
  const store = s3.store();
  await store.put('s1/a.pdf', Buffer.from('a'));
  assert.equal((await store.get('s1/a.pdf'))?.toString(), 'a');
  assert.deepEqual(s3.verifiedRequests, ['PUT /passbook/s1/a.pdf', 'GET /passbook/s1/a.pdf']);
});

test('a request still throttled after three attempts fails with 503 SlowDown', async (t) => {
  const s3 = await startS3(t, { slowDowns: 3 });
  const store = s3.store();
  await assert.rejects(store.put('s1/a.pdf', Buffer.from('a')), /S3 PutObject of "s1\/a.pdf" failed: 503 SlowDown$/);
  assert.deepEqual(s3.verifiedRequests, []);
  await store.put('s1/a.pdf', Buffer.from('a'));
  assert.equal((await store.get('s1/a.pdf'))?.toString(), 'a');
});

test('bad keys are refused before any request is made', async (t) => {
  const s3 = await startS3(t);
  const store = s3.store();
  for (const key of ['', '/abs', 'a/', 'a//b', '..', 'a/../b', '.', 'a b', 'a?b', 'a%2Fb', 'x'.repeat(513)]) {
    await assert.rejects(store.put(key, Buffer.from('x')), /Invalid blob key/, `put ${JSON.stringify(key)}`);
    await assert.rejects(store.get(key), /Invalid blob key/, `get ${JSON.stringify(key)}`);
    await assert.rejects(store.delete(key), /Invalid blob key/, `delete ${JSON.stringify(key)}`);
    await assert.rejects(store.deletePrefix(key), /Invalid blob key/, `deletePrefix ${JSON.stringify(key)}`);
  }
  assert.deepEqual(s3.verifiedRequests, []);
});

test('a wrong secret key fails with the status and S3 error code, never the secret', async (t) => {
  const s3 = await startS3(t);
  const wrongSecret = 'wrong-secret-Zq8xT3vN';
  const store = s3.store({ secretAccessKey: wrongSecret });
  for (const attempt of [
    () => store.put('s1/a.pdf', Buffer.from('a')),
    () => store.get('s1/a.pdf'),
    () => store.delete('s1/a.pdf'),
    () => store.deletePrefix('s1'),
  ]) {
    const error = await attempt().then(
      () => assert.fail('expected the request to be refused'),
      (error: unknown) => error as Error,
    );
    assert.match(error.message, /^S3 \w+ .* failed: 403 SignatureDoesNotMatch$/);
    assert.ok(!inspect(error).includes(wrongSecret), inspect(error));
  }
  assert.ok(!inspect(store).includes(wrongSecret), 'the secret is not visible on the store either');
  assert.deepEqual(s3.verifiedRequests, []);
});

test('an unknown access key id is refused by s3rver itself', async (t) => {
  const s3 = await startS3(t);
  const store = s3.store({ endpoint: s3.directEndpoint, accessKeyId: 'NOT-A-KEY', secretAccessKey: 'some-secret-Kp2w' });
  const error = await store.put('s1/a.pdf', Buffer.from('a')).then(
    () => assert.fail('expected the request to be refused'),
    (error: unknown) => error as Error,
  );
  assert.equal(error.message, 'S3 PutObject of "s1/a.pdf" failed: 403 InvalidAccessKeyId');
  assert.ok(!inspect(error).includes('some-secret-Kp2w'));
});

test('an unreachable endpoint fails with the reason', async (t) => {
  const s3 = await startS3(t);
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const store = s3.store({ endpoint: `http://127.0.0.1:${closedPort}` });
  await assert.rejects(store.get('s1/a.pdf'), /^Error: S3 GetObject of "s1\/a.pdf" failed: .*ECONNREFUSED/);
});

test('an operation that hangs, before the answer or midway through the body, fails once its time is up', async (t) => {
  const s3 = await startS3(t);
  // Answers object reads with the start of a 10-byte body, then nothing; other requests never.
  const stalled = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.includes('x-id=GetObject') === true) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '10' });
      res.write('%PD');
    }
  });
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    stalled.closeAllConnections();
    return new Promise<void>((resolve) => stalled.close(() => resolve()));
  });
  const store = s3.store({ endpoint: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`, operationTimeoutMs: 300 });
  const started = Date.now();
  await assert.rejects(store.put('s1/a.pdf', Buffer.from('a')), /^Error: S3 PutObject of "s1\/a.pdf" failed: not done within 0.3 s$/);
  await assert.rejects(store.get('s1/a.pdf'), /^Error: S3 GetObject of "s1\/a.pdf" failed: not done within 0.3 s$/);
  assert.ok(Date.now() - started < 5000, 'each failed after its own 0.3 s, not after a retry of it');
});
