/**
 * loadConfig: the README's configuration table (names, defaults, ranges, meanings) and the
 * messages a bad value gets. The server prints them and exits 2 (see main.slow.test.ts).
 */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

/** The problems loadConfig reports for `env`, one line each. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.message, `Invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
    return error.problems;
  }
  return assert.fail(`expected ${JSON.stringify(env)} to be refused`);
}

test('with nothing set, every variable has its documented default', () => {
  assert.deepEqual(loadConfig({}, '/srv/passbook'), {
    port: 8080,
    host: '127.0.0.1',
    dataDir: '/srv/passbook/data',
    databaseUrl: undefined,
    publicUrl: 'http://localhost:8080',
    adminToken: undefined,
    logLevel: 'info',
    defaultSessionExpiryMinutes: 1440,
    timeZone: 'Asia/Kolkata',
    clientCacheTtlMs: 2000,
    uploads: { maxBytes: 25 * 1024 * 1024, maxPages: 500, allowPrivateFileUrls: false, fileUrlTimeoutMs: 30_000 },
    parseWorkers: Math.max(1, Math.min(4, availableParallelism())),
    webhooks: { allowHttp: false, allowPrivate: false, timeoutMs: 10_000, retryBaseMs: 10_000, retryWindowMs: 24 * 3600_000, concurrency: 16, maxInFlightPerClient: 4 },
    console: { signInMs: 12 * 3600_000, passwordCost: { log2N: 15, r: 8, p: 3 } },
    runJobs: true,
    jobLeaseMs: 30_000,
    shutdownTimeoutMs: 25_000,
    http: { requestTimeoutMs: 120_000, headersTimeoutMs: 15_000, keepAliveTimeoutMs: 5000, maxActiveRequests: 16 },
    blobStore: { kind: 'fs' },
    demo: true,
    enrichmentRulesFile: null,
    aa: { kind: 'sandbox' },
  });
});

test('Account Aggregator: the sandbox only on a laptop-style setup; a real AA needs every variable', () => {
  assert.deepEqual(loadConfig({}).aa, { kind: 'sandbox' });
  assert.equal(loadConfig({ NODE_ENV: 'production' }).aa, null);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db' }).aa, null);

  const problems = (() => {
    try {
      loadConfig({ AA_BASE_URL: 'https://aa.example.test/V2', AA_DATA_KEY: 'short', FIU_SIGNING_KEY: 'secret-key-text' });
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  })();
  assert.ok(problems.includes('AA_DATA_KEY must be 32 bytes as 64 hex digits or base64'), problems.join('\n'));
  for (const name of ['AA_ID', 'AA_API_KEY', 'AA_NOTIFICATION_API_KEY', 'AA_PUBLIC_KEY', 'AA_HANDLE', 'FIU_ID']) {
    assert.ok(problems.includes(`${name} is required when AA_BASE_URL is set`), `${name}: ${problems.join('\n')}`);
  }
  // Secrets are never repeated in an error.
  assert.ok(!problems.join('\n').includes('short') && !problems.join('\n').includes('secret-key-text'));

  const aa = loadConfig({
    AA_BASE_URL: 'https://aa.example.test/V2/',
    AA_ID: 'aa-1',
    AA_API_KEY: 'k',
    AA_NOTIFICATION_API_KEY: '0123456789abcdef',
    AA_PUBLIC_KEY: 'pem',
    AA_HANDLE: 'onemoney',
    AA_CONSENT_URL: 'https://aa.example.test/approve?handle={consent_handle}&back={redirect_url}',
    FIU_ID: 'fiu-1',
    FIU_SIGNING_KEY: 'pem',
    AA_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
  }).aa;
  assert.ok(aa?.kind === 'remote');
  assert.equal(aa.baseUrl, 'https://aa.example.test/V2');
  assert.deepEqual(aa.dataKey, Buffer.alloc(32, 7));
  assert.equal(aa.fiuSigningKeyId, null);
});

test('values are decoded into the units and shapes the code uses', () => {
  const config = loadConfig(
    {
      PORT: '9000',
      HOST: ' 0.0.0.0 ',
      DATA_DIR: 'var/pb',
      DATABASE_URL: 'postgresql://pb@db/pb',
      ADMIN_TOKEN: 'a-long-enough-admin-token',
      LOG_LEVEL: 'debug',
      SESSION_EXPIRY_MINUTES: '5',
      TIME_ZONE: 'Europe/London',
      CLIENT_CACHE_TTL_MS: '0',
      MAX_UPLOAD_MB: '200',
      MAX_PDF_PAGES: '1',
      PARSE_WORKERS: '32',
      RUN_JOBS: '0',
      ALLOW_PRIVATE_URLS: '1',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_TIMEOUT_SECONDS: '0.5',
      WEBHOOK_RETRY_BASE_SECONDS: '3600',
      WEBHOOK_RETRY_HOURS: '1.5',
      WEBHOOK_CONCURRENCY: '256',
      WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT: '2',
      ENRICHMENT_RULES_FILE: 'rules/ours.json',
      UNRELATED: 'ignored',
    },
    '/srv',
  );
  assert.equal(config.port, 9000);
  assert.equal(config.host, '0.0.0.0', 'values are trimmed');
  assert.equal(config.dataDir, '/srv/var/pb');
  assert.equal(config.databaseUrl, 'postgresql://pb@db/pb');
  assert.equal(config.publicUrl, 'http://localhost:9000', 'PUBLIC_URL follows PORT');
  assert.equal(config.adminToken, 'a-long-enough-admin-token');
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.defaultSessionExpiryMinutes, 5);
  assert.equal(config.timeZone, 'Europe/London');
  assert.equal(config.clientCacheTtlMs, 0);
  assert.deepEqual(config.uploads, { maxBytes: 200 * 1024 * 1024, maxPages: 1, allowPrivateFileUrls: true, fileUrlTimeoutMs: 30_000 });
  assert.equal(config.parseWorkers, 32);
  assert.equal(config.runJobs, false);
  assert.deepEqual(config.webhooks, { allowHttp: true, allowPrivate: true, timeoutMs: 500, retryBaseMs: 3600_000, retryWindowMs: 1.5 * 3600_000, concurrency: 256, maxInFlightPerClient: 2 });
  assert.equal(config.demo, false);
  assert.equal(config.enrichmentRulesFile, '/srv/rules/ours.json', 'relative to the working directory');
});

test('an empty or blank value counts as unset', () => {
  const config = loadConfig({ PORT: '', HOST: '  ', ADMIN_TOKEN: '', BLOB_STORE: ' ', RUN_JOBS: '' });
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.adminToken, undefined);
  assert.deepEqual(config.blobStore, { kind: 'fs' });
  assert.equal(config.runJobs, true);
});

test('PUBLIC_URL is written as URL writes it, without a trailing slash', () => {
  assert.equal(loadConfig({ PUBLIC_URL: 'https://Journey.Example.com/connect///' }).publicUrl, 'https://journey.example.com/connect');
  assert.equal(loadConfig({ PORT: '80' }).publicUrl, 'http://localhost');
});

test('loadConfig reads only the object it is given', () => {
  const saved = process.env.PORT;
  process.env.PORT = '1234';
  try {
    assert.equal(loadConfig({}).port, 8080);
  } finally {
    if (saved === undefined) delete process.env.PORT;
    else process.env.PORT = saved;
  }
});

test('each bad value gets one line that names the variable, its rule and the value', () => {
  assert.deepEqual(
    problems({
      PORT: '65536',
      PUBLIC_URL: 'http://x/?q=1',
      LOG_LEVEL: 'loud',
      SESSION_EXPIRY_MINUTES: '4',
      TIME_ZONE: 'Mars/Olympus',
      CLIENT_CACHE_TTL_MS: '60001',
      MAX_UPLOAD_MB: '0',
      MAX_PDF_PAGES: '5001',
      PARSE_WORKERS: '33',
      RUN_JOBS: 'yes',
      ALLOW_PRIVATE_URLS: 'on',
      WEBHOOK_ALLOW_HTTP: 'maybe',
      WEBHOOK_TIMEOUT_SECONDS: '0.09',
      WEBHOOK_RETRY_BASE_SECONDS: '3601',
      WEBHOOK_RETRY_HOURS: '169',
      WEBHOOK_CONCURRENCY: '0',
      WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT: '257',
      BLOB_STORE: 'gcs',
    }),
    [
      'PORT must be a whole number from 0 to 65535 (got "65536")',
      'PUBLIC_URL must be an http(s) URL without query or fragment (got "http://x/?q=1")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'SESSION_EXPIRY_MINUTES must be a whole number from 5 to 43200 (got "4")',
      'TIME_ZONE must be an IANA time zone such as Asia/Kolkata (got "Mars/Olympus")',
      'CLIENT_CACHE_TTL_MS must be a whole number from 0 to 60000 (got "60001")',
      'MAX_UPLOAD_MB must be a whole number from 1 to 200 (got "0")',
      'MAX_PDF_PAGES must be a whole number from 1 to 5000 (got "5001")',
      'PARSE_WORKERS must be a whole number from 1 to 32 (got "33")',
      'RUN_JOBS must be true or false (got "yes")',
      'ALLOW_PRIVATE_URLS must be true or false (got "on")',
      'WEBHOOK_ALLOW_HTTP must be true or false (got "maybe")',
      'WEBHOOK_TIMEOUT_SECONDS must be a number from 0.1 to 60 (got "0.09")',
      'WEBHOOK_RETRY_BASE_SECONDS must be a number from 0.01 to 3600 (got "3601")',
      'WEBHOOK_RETRY_HOURS must be a number from 0.001 to 168 (got "169")',
      'WEBHOOK_CONCURRENCY must be a whole number from 1 to 256 (got "0")',
      'WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT must be a whole number from 1 to 256 (got "257")',
      'BLOB_STORE must be fs or s3 (got "gcs")',
    ],
  );
});

test('numbers are plain digits: no sign, fraction, exponent or hex where a whole number is meant', () => {
  for (const value of ['-1', '1.5', '1e3', '0x10', '8080abc', '1_000', 'Infinity']) {
    assert.deepEqual(problems({ PORT: value }), [`PORT must be a whole number from 0 to 65535 (got "${value}")`], value);
  }
  for (const value of ['1.', '.5', '-1', '1e1']) {
    assert.deepEqual(problems({ WEBHOOK_TIMEOUT_SECONDS: value }), [`WEBHOOK_TIMEOUT_SECONDS must be a number from 0.1 to 60 (got "${value}")`], value);
  }
});

test('a secret value is never repeated in a message', () => {
  const lines = problems({ ADMIN_TOKEN: 'short-secret', DATABASE_URL: 'mysql://pb:db-password@db/pb' });
  assert.deepEqual(lines, [
    'DATABASE_URL must be a URL starting with postgres:// or postgresql://',
    'ADMIN_TOKEN must be at least 16 characters long',
  ]);
});

test('BLOB_STORE=s3 needs the S3 variables, and S3_REGION defaults to us-east-1', () => {
  assert.deepEqual(problems({ BLOB_STORE: 's3', S3_BUCKET: 'pb', S3_SECRET_ACCESS_KEY: 'secret-value-42' }), [
    'S3_ENDPOINT is required when BLOB_STORE=s3',
    'S3_ACCESS_KEY_ID is required when BLOB_STORE=s3',
  ]);
  const s3 = { BLOB_STORE: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'pb', S3_ACCESS_KEY_ID: 'key', S3_SECRET_ACCESS_KEY: 'secret' };
  assert.deepEqual(loadConfig(s3).blobStore, {
    kind: 's3',
    endpoint: 'http://127.0.0.1:9000',
    bucket: 'pb',
    region: 'us-east-1',
    accessKeyId: 'key',
    secretAccessKey: 'secret',
  });
  const elsewhere = loadConfig({ ...s3, S3_REGION: 'ap-south-1' }).blobStore;
  assert.equal(elsewhere.kind === 's3' ? elsewhere.region : undefined, 'ap-south-1');
  // Without BLOB_STORE=s3 the S3 variables are not needed, and not used.
  assert.deepEqual(loadConfig({ S3_BUCKET: 'pb' }).blobStore, { kind: 'fs' });
});

test('HTTP timeouts: seconds, decoded to milliseconds; the headers may not take longer than the whole request', () => {
  const config = loadConfig({ HTTP_REQUEST_TIMEOUT_SECONDS: '600', HTTP_HEADERS_TIMEOUT_SECONDS: '2.5', HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '65', HTTP_MAX_ACTIVE_REQUESTS: '64' });
  assert.deepEqual(config.http, { requestTimeoutMs: 600_000, headersTimeoutMs: 2500, keepAliveTimeoutMs: 65_000, maxActiveRequests: 64 });
  assert.deepEqual(problems({ HTTP_REQUEST_TIMEOUT_SECONDS: '10', HTTP_HEADERS_TIMEOUT_SECONDS: '20' }), [
    'HTTP_HEADERS_TIMEOUT_SECONDS must not be more than HTTP_REQUEST_TIMEOUT_SECONDS',
  ]);
  assert.deepEqual(problems({ HTTP_REQUEST_TIMEOUT_SECONDS: '0', HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '0' }), [
    'HTTP_REQUEST_TIMEOUT_SECONDS must be a number from 1 to 3600 (got "0")',
    'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS must be a number from 1 to 600 (got "0")',
  ]);
});
