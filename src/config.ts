/**
 * Configuration is read from the environment once, at start-up, validated, and passed down.
 * No other module reads `process.env`.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Embedded store and files live here. */
  dataDir: string;
  /** When set, PostgreSQL is the store instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  /** Base of the journey URL handed back as `redirect_url`. */
  publicUrl: string;
  /** The admin API exists only when this is set. */
  adminToken: string | undefined;
  logLevel: LogLevel;
  /** Used when a session is created without `session_expiry`. */
  defaultSessionExpiryMinutes: number;
  /** Zone that decides what "today" is for default date ranges. */
  timeZone: string;
  /** How long an API key lookup may be served from this process's memory. */
  clientCacheTtlMs: number;
  uploads: {
    maxBytes: number;
    maxPages: number;
    /** Let file_url (and later webhook URLs) reach private, loopback and link-local addresses. */
    allowPrivateFileUrls: boolean;
    fileUrlTimeoutMs: number;
  };
  /** Worker threads that parse statements. */
  parseWorkers: number;
  webhooks: WebhookSettings;
  /** Run the durable-job worker in this process (turn off to run API-only processes). */
  runJobs: boolean;
  /** Where uploaded PDFs go: files under DATA_DIR/blobs, or an S3-compatible bucket. */
  blobStore: { kind: 'fs' } | { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };
  /**
   * Serve the newcomer demo at /demo (a sandbox client, sample statements, a button into the
   * journey). Only on a laptop-style setup: the embedded store, no ADMIN_TOKEN and NODE_ENV not
   * production, because the demo creates clients and sessions for anyone who can reach it.
   */
  demo: boolean;
}

export interface WebhookSettings {
  /** Let webhook URLs be plain http (self-hosted networks); https only otherwise. */
  allowHttp: boolean;
  /** Let webhook URLs reach loopback, private and link-local addresses (ALLOW_PRIVATE_URLS). */
  allowPrivate: boolean;
  /** One delivery attempt may take this long, connection and answer included. */
  timeoutMs: number;
  /** The first retry waits this long; each later one twice as long, up to an hour. */
  retryBaseMs: number;
  /** No retry is scheduled later than this after the event (or its replay). */
  retryWindowMs: number;
  /** Deliveries in flight at once, per process. */
  concurrency: number;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Documented in README's configuration table; keep the two in step. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };

  const port = integer('PORT', 8080, 0, 65535);
  const host = read('HOST') ?? '127.0.0.1';

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const publicUrlRaw = read('PUBLIC_URL') ?? `http://localhost:${port}`;
  let publicUrl = publicUrlRaw;
  try {
    const url = new URL(publicUrlRaw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    if (url.search || url.hash) throw new Error('query');
    publicUrl = url.toString().replace(/\/+$/, '');
  } catch {
    problems.push(`PUBLIC_URL must be an http(s) URL without query or fragment (got "${publicUrlRaw}")`);
  }

  const adminToken = read('ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters long');
  }

  const logLevel = (read('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  const defaultSessionExpiryMinutes = integer('SESSION_EXPIRY_MINUTES', 1440, 5, 43200);

  const timeZone = read('TIME_ZONE') ?? 'Asia/Kolkata';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`TIME_ZONE must be an IANA time zone such as Asia/Kolkata (got "${timeZone}")`);
  }

  const clientCacheTtlMs = integer('CLIENT_CACHE_TTL_MS', 2000, 0, 60000);
  const maxUploadMb = integer('MAX_UPLOAD_MB', 25, 1, 200);
  const maxPdfPages = integer('MAX_PDF_PAGES', 500, 1, 5000);
  // One worker per core (up to 4): idle workers help parse the pages of a statement in flight.
  const parseWorkers = integer('PARSE_WORKERS', Math.max(1, Math.min(4, availableParallelism())), 1, 32);
  const runJobs = read('RUN_JOBS') ?? 'true';
  if (!['true', 'false', '1', '0'].includes(runJobs)) problems.push(`RUN_JOBS must be true or false (got "${runJobs}")`);
  const allowPrivate = read('ALLOW_PRIVATE_URLS') ?? 'false';
  if (!['true', 'false', '1', '0'].includes(allowPrivate)) problems.push(`ALLOW_PRIVATE_URLS must be true or false (got "${allowPrivate}")`);

  const seconds = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const webhookHttp = read('WEBHOOK_ALLOW_HTTP') ?? 'false';
  if (!['true', 'false', '1', '0'].includes(webhookHttp)) problems.push(`WEBHOOK_ALLOW_HTTP must be true or false (got "${webhookHttp}")`);
  const webhooks: WebhookSettings = {
    allowHttp: webhookHttp === 'true' || webhookHttp === '1',
    allowPrivate: allowPrivate === 'true' || allowPrivate === '1',
    timeoutMs: seconds('WEBHOOK_TIMEOUT_SECONDS', 10, 0.1, 60) * 1000,
    retryBaseMs: seconds('WEBHOOK_RETRY_BASE_SECONDS', 10, 0.01, 3600) * 1000,
    retryWindowMs: seconds('WEBHOOK_RETRY_HOURS', 24, 0.001, 24 * 7) * 3600_000,
    concurrency: integer('WEBHOOK_CONCURRENCY', 16, 1, 256),
  };

  let blobStore: Config['blobStore'] = { kind: 'fs' };
  const blobKind = read('BLOB_STORE') ?? 'fs';
  if (blobKind === 's3') {
    const need = (name: string) => {
      const value = read(name);
      if (value === undefined) problems.push(`${name} is required when BLOB_STORE=s3`);
      return value ?? '';
    };
    blobStore = {
      kind: 's3',
      endpoint: need('S3_ENDPOINT'),
      bucket: need('S3_BUCKET'),
      region: read('S3_REGION') ?? 'us-east-1',
      accessKeyId: need('S3_ACCESS_KEY_ID'),
      secretAccessKey: need('S3_SECRET_ACCESS_KEY'),
    };
  } else if (blobKind !== 'fs') {
    problems.push(`BLOB_STORE must be fs or s3 (got "${blobKind}")`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    dataDir: path.resolve(cwd, read('DATA_DIR') ?? './data'),
    databaseUrl,
    publicUrl,
    adminToken,
    logLevel,
    defaultSessionExpiryMinutes,
    timeZone,
    clientCacheTtlMs,
    uploads: {
      maxBytes: maxUploadMb * 1024 * 1024,
      maxPages: maxPdfPages,
      allowPrivateFileUrls: allowPrivate === 'true' || allowPrivate === '1',
      fileUrlTimeoutMs: 30_000,
    },
    parseWorkers,
    webhooks,
    runJobs: runJobs === 'true' || runJobs === '1',
    blobStore,
    demo: databaseUrl === undefined && adminToken === undefined && read('NODE_ENV') !== 'production',
  };
}
