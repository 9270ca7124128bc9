/**
 * Configuration is read from the environment once, at start-up, validated, and passed down.
 * No other module reads `process.env`.
 *
 * Every variable is declared once, in `EnvSchema` (TypeBox): the text it accepts, its default,
 * the value it decodes to, and, as its description, the rule that an error message states.
 * TypeBox's Value functions check and decode the variables; `Config` is derived from that.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import Type, { type StaticDecode, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
// Secret values (writeOnly, in JSON Schema's words) are never repeated in an error message.
const SECRET = { writeOnly: true };

/** Digits only: no sign, exponent, hex or surrounding text, as the README's ranges imply. */
function wholeNumber(min: number, max: number, fallback: number) {
  const text = Type.String({ pattern: '^\\d+$', default: String(fallback), description: `a whole number from ${min} to ${max}` });
  return Type.Decode(
    Type.Refine(text, (value) => Number(value) >= min && Number(value) <= max),
    (value) => Number(value),
  );
}

function decimalNumber(min: number, max: number, fallback: number) {
  const text = Type.String({ pattern: '^\\d+(\\.\\d+)?$', default: String(fallback), description: `a number from ${min} to ${max}` });
  return Type.Decode(
    Type.Refine(text, (value) => Number(value) >= min && Number(value) <= max),
    (value) => Number(value),
  );
}

function flag(fallback: boolean) {
  return Type.Decode(
    Type.Enum(['true', 'false', '1', '0'], { default: String(fallback), description: 'true or false' }),
    (value) => value === 'true' || value === '1',
  );
}

/** An http(s) URL without query or fragment, written as URL writes it, without trailing `/`. */
function normalizeHttpUrl(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') return undefined;
  return url.toString().replace(/\/+$/, '');
}

function isTimeZone(text: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

/** Documented in README's configuration table; keep the two in step. */
const EnvSchema = Type.Object({
  PORT: wholeNumber(0, 65535, 8080),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATA_DIR: Type.String({ default: './data' }),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'a URL starting with postgres:// or postgresql://', ...SECRET }),
  ),
  /** Defaults to http://localhost:$PORT, which the schema cannot express. */
  PUBLIC_URL: Type.Optional(
    Type.Decode(
      Type.Refine(Type.String({ description: 'an http(s) URL without query or fragment' }), (value) => normalizeHttpUrl(value) !== undefined),
      (value) => normalizeHttpUrl(value) ?? value,
    ),
  ),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'at least 16 characters long', ...SECRET })),
  LOG_LEVEL: Type.Enum(LOG_LEVELS, { default: 'info', description: `one of ${LOG_LEVELS.join(', ')}` }),
  SESSION_EXPIRY_MINUTES: wholeNumber(5, 43200, 1440),
  TIME_ZONE: Type.Refine(Type.String({ default: 'Asia/Kolkata', description: 'an IANA time zone such as Asia/Kolkata' }), isTimeZone),
  CLIENT_CACHE_TTL_MS: wholeNumber(0, 60000, 2000),
  MAX_UPLOAD_MB: wholeNumber(1, 200, 25),
  MAX_PDF_PAGES: wholeNumber(1, 5000, 500),
  // One worker per core (up to 4): idle workers help parse the pages of a statement in flight.
  PARSE_WORKERS: wholeNumber(1, 32, Math.max(1, Math.min(4, availableParallelism()))),
  RUN_JOBS: flag(true),
  // A job whose process died is taken again within about this long; a running job's lease is
  // renewed every third of it, so it bounds recovery, not how long a job may run.
  JOB_LEASE_SECONDS: decimalNumber(1, 3600, 30),
  // Under the 30 s a process manager (Kubernetes, Docker, systemd) usually waits before SIGKILL.
  SHUTDOWN_TIMEOUT_SECONDS: decimalNumber(0.1, 600, 25),
  // A client that trickles its request holds a connection (and, for a form, parser state) until
  // cut off. The whole request must arrive within this: a 25 MB statement (MAX_UPLOAD_MB's
  // default) at about 2 Mbit/s upstream, a phone's on a poor line, takes some 100 s.
  HTTP_REQUEST_TIMEOUT_SECONDS: decimalNumber(1, 3600, 120),
  HTTP_HEADERS_TIMEOUT_SECONDS: decimalNumber(1, 600, 15),
  // Node's own default; behind a load balancer that reuses connections it must be longer than
  // the balancer's idle timeout (README).
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: decimalNumber(1, 600, 5),
  // Requests worked on at once; more wait their turn (src/http/admission.ts).
  HTTP_MAX_ACTIVE_REQUESTS: wholeNumber(1, 10000, 16),
  // A console sign-in lasts this long, however active (then the user signs in again).
  CONSOLE_SIGN_IN_HOURS: decimalNumber(0.01, 720, 12),
  // scrypt's cost as log2 N (r = 8, p = 3): 15 is 32 MiB and about 0.1 s a hash (src/lib/password-hash.ts).
  CONSOLE_PASSWORD_COST: wholeNumber(10, 20, 15),
  ALLOW_PRIVATE_URLS: flag(false),
  WEBHOOK_ALLOW_HTTP: flag(false),
  WEBHOOK_TIMEOUT_SECONDS: decimalNumber(0.1, 60, 10),
  WEBHOOK_RETRY_BASE_SECONDS: decimalNumber(0.01, 3600, 10),
  WEBHOOK_RETRY_HOURS: decimalNumber(0.001, 24 * 7, 24),
  WEBHOOK_CONCURRENCY: wholeNumber(1, 256, 16),
  // A quarter of the default WEBHOOK_CONCURRENCY: one lender's hanging receiver leaves the rest to the others.
  WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT: wholeNumber(1, 256, 4),
  NODE_ENV: Type.Optional(Type.String()),
  BLOB_STORE: Type.Enum(['fs', 's3'], { default: 'fs', description: 'fs or s3' }),
  /** Required when BLOB_STORE=s3 (checked in loadConfig: a rule across variables). */
  S3_ENDPOINT: Type.Optional(Type.String()),
  S3_BUCKET: Type.Optional(Type.String()),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String()),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String(SECRET)),
  /** A lender's own narration rules, tried before the bundled ones (docs/insights.md, "Enrichment"). */
  ENRICHMENT_RULES_FILE: Type.Optional(Type.String()),
  /**
   * Account Aggregator mode (docs/aa.md, "Configuration"). With AA_BASE_URL set, the variables
   * of AA_REQUIRED are required too (checked in loadConfig); without it, the built-in sandbox
   * AA stands in where the demo would run.
   */
  AA_BASE_URL: Type.Optional(
    Type.Decode(
      Type.Refine(Type.String({ description: 'an http(s) URL without query or fragment' }), (value) => normalizeHttpUrl(value) !== undefined),
      (value) => normalizeHttpUrl(value) ?? value,
    ),
  ),
  AA_ID: Type.Optional(Type.String({ minLength: 1 })),
  AA_API_KEY: Type.Optional(Type.String({ minLength: 1, ...SECRET })),
  AA_NOTIFICATION_API_KEY: Type.Optional(Type.String({ minLength: 16, description: 'at least 16 characters long', ...SECRET })),
  AA_PUBLIC_KEY: Type.Optional(Type.String({ minLength: 1 })),
  AA_HANDLE: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]+$', description: "the AA's handle suffix, such as onemoney (letters, digits, . _ -)" })),
  AA_CONSENT_URL: Type.Optional(
    Type.Refine(Type.String({ description: 'an http(s) URL (with {consent_handle} and optionally {redirect_url}, {customer_id})' }), (value) =>
      URL.canParse(value.replaceAll(/\{[a-z_]+\}/g, 'x')),
    ),
  ),
  FIU_ID: Type.Optional(Type.String({ minLength: 1 })),
  FIU_SIGNING_KEY: Type.Optional(Type.String({ minLength: 1, ...SECRET })),
  FIU_SIGNING_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  AA_DATA_KEY: Type.Optional(
    Type.Decode(
      Type.Refine(Type.String({ description: '32 bytes as 64 hex digits or base64', ...SECRET }), (value) => dataKeyBytes(value) !== null),
      (value) => dataKeyBytes(value)!,
    ),
  ),
});

/** A 32-byte key written as hex or base64; null when it is neither. */
function dataKeyBytes(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

type Env = StaticDecode<typeof EnvSchema>;
type EnvName = keyof typeof EnvSchema.properties;
const ENV_NAMES = Object.keys(EnvSchema.properties) as EnvName[];
const S3_REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const satisfies EnvName[];
const AA_REQUIRED = [
  'AA_ID', 'AA_API_KEY', 'AA_NOTIFICATION_API_KEY', 'AA_PUBLIC_KEY', 'AA_HANDLE', 'FIU_ID', 'FIU_SIGNING_KEY', 'AA_DATA_KEY',
] as const satisfies EnvName[];

/** A real AA, as configured; its keys are loaded (and checked) by the composition root. */
export interface RemoteAaConfig {
  kind: 'remote';
  baseUrl: string;
  aaId: string;
  /** Sent as `client_api_key` on every request to the AA. */
  apiKey: string;
  /** What the AA must send as `aa_api_key` on its notifications. */
  notificationApiKey: string;
  /** The AA's public key (JWK or PEM), for its signatures. */
  aaPublicKey: string;
  /** Customer ids are `<mobile>@<handle>`. */
  handle: string;
  /** Where the user approves: a template with {consent_handle}, {redirect_url}, {customer_id}; null: the user approves in the AA's own app. */
  consentUrl: string | null;
  fiuId: string;
  /** The FIU's private key (JWK or PEM) and its key id. */
  fiuSigningKey: string;
  fiuSigningKeyId: string | null;
  /** Seals FI data and ephemeral keys at rest. */
  dataKey: Buffer;
}

function configFromEnv(env: Env, cwd: string) {
  return {
    port: env.PORT,
    host: env.HOST,
    /** Embedded store and files live here. */
    dataDir: path.resolve(cwd, env.DATA_DIR),
    /** When set, PostgreSQL is the store instead of the embedded PGlite. */
    databaseUrl: env.DATABASE_URL,
    /** Base of the journey URL handed back as `redirect_url`. */
    publicUrl: env.PUBLIC_URL ?? normalizeHttpUrl(`http://localhost:${env.PORT}`) ?? `http://localhost:${env.PORT}`,
    /** The admin API exists only when this is set. */
    adminToken: env.ADMIN_TOKEN,
    logLevel: env.LOG_LEVEL,
    /** Used when a session is created without `session_expiry`. */
    defaultSessionExpiryMinutes: env.SESSION_EXPIRY_MINUTES,
    /** Zone that decides what "today" is for default date ranges. */
    timeZone: env.TIME_ZONE,
    /** How long an API key lookup may be served from this process's memory. */
    clientCacheTtlMs: env.CLIENT_CACHE_TTL_MS,
    uploads: {
      maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024,
      maxPages: env.MAX_PDF_PAGES,
      /** Let file_url (and later webhook URLs) reach private, loopback and link-local addresses. */
      allowPrivateFileUrls: env.ALLOW_PRIVATE_URLS,
      fileUrlTimeoutMs: 30_000,
    },
    /** Worker threads that parse statements. */
    parseWorkers: env.PARSE_WORKERS,
    webhooks: {
      /** Let webhook URLs be plain http (self-hosted networks); https only otherwise. */
      allowHttp: env.WEBHOOK_ALLOW_HTTP,
      /** Let webhook URLs reach loopback, private and link-local addresses (ALLOW_PRIVATE_URLS). */
      allowPrivate: env.ALLOW_PRIVATE_URLS,
      /** One delivery attempt may take this long, connection and answer included. */
      timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
      /** The first retry waits this long; each later one twice as long, up to an hour. */
      retryBaseMs: env.WEBHOOK_RETRY_BASE_SECONDS * 1000,
      /** No retry is scheduled later than this after the event (or its replay). */
      retryWindowMs: env.WEBHOOK_RETRY_HOURS * 3600_000,
      /** Deliveries in flight at once, per process. */
      concurrency: env.WEBHOOK_CONCURRENCY,
      /**
       * Deliveries to one client in flight at once, per process: a client whose receiver is slow
       * or hangs holds at most this many of the `concurrency` slots, and the others share the rest.
       */
      maxInFlightPerClient: env.WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT,
    },
    console: {
      signInMs: env.CONSOLE_SIGN_IN_HOURS * 3600_000,
      passwordCost: { log2N: env.CONSOLE_PASSWORD_COST, r: 8, p: 3 },
    },
    /** Run the durable-job worker in this process (turn off to run API-only processes). */
    runJobs: env.RUN_JOBS,
    /** A claimed job's lease, renewed by a heartbeat while it runs; after a crash, the wait before it is taken again. */
    jobLeaseMs: env.JOB_LEASE_SECONDS * 1000,
    /** On SIGTERM/SIGINT, in-flight requests and jobs get this long before the process exits anyway. */
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    /** Limits on how long a client may take to send a request, and keep an idle connection. */
    http: {
      /** The whole request, body included, from its first byte; a slower one is answered 408 and its connection closed. */
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      /** The request line and headers, from the first byte (at most requestTimeoutMs). */
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      /** An idle keep-alive connection is closed after this. */
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      /** Requests worked on at once; the others wait, first come first served, unread (routes marked `unqueued` never wait). */
      maxActiveRequests: env.HTTP_MAX_ACTIVE_REQUESTS,
    },
    /** Where uploaded PDFs go: files under DATA_DIR/blobs, or an S3-compatible bucket. */
    blobStore:
      env.BLOB_STORE === 's3'
        ? {
            kind: 's3' as const,
            endpoint: env.S3_ENDPOINT ?? '',
            bucket: env.S3_BUCKET ?? '',
            region: env.S3_REGION,
            accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
            secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
          }
        : { kind: 'fs' as const },
    /** The lender's narration rules file, read and checked once at start-up; null: the bundled rules only. */
    enrichmentRulesFile: env.ENRICHMENT_RULES_FILE === undefined ? null : path.resolve(cwd, env.ENRICHMENT_RULES_FILE),
    /**
     * Serve the newcomer demo at /demo (a sandbox client, sample statements, a button into the
     * journey). Only on a laptop-style setup: the embedded store, no ADMIN_TOKEN and NODE_ENV not
     * production, because the demo creates clients and sessions for anyone who can reach it.
     */
    demo: env.DATABASE_URL === undefined && env.ADMIN_TOKEN === undefined && env.NODE_ENV !== 'production',
    /**
     * Account Aggregator mode: a configured AA; else the built-in sandbox AA and FIP (mounted at
     * /aa-sandbox, keys kept under DATA_DIR) on the embedded store outside production; else none,
     * and mode=aa is not offered (docs/aa.md).
     */
    aa: aaConfig(env),
  };
}

function aaConfig(env: Env): RemoteAaConfig | { kind: 'sandbox' } | null {
  if (env.AA_BASE_URL !== undefined) {
    return {
      kind: 'remote',
      baseUrl: env.AA_BASE_URL,
      aaId: env.AA_ID ?? '',
      apiKey: env.AA_API_KEY ?? '',
      notificationApiKey: env.AA_NOTIFICATION_API_KEY ?? '',
      aaPublicKey: env.AA_PUBLIC_KEY ?? '',
      handle: env.AA_HANDLE ?? '',
      consentUrl: env.AA_CONSENT_URL ?? null,
      fiuId: env.FIU_ID ?? '',
      fiuSigningKey: env.FIU_SIGNING_KEY ?? '',
      fiuSigningKeyId: env.FIU_SIGNING_KEY_ID ?? null,
      dataKey: env.AA_DATA_KEY ?? Buffer.alloc(0),
    };
  }
  return env.DATABASE_URL === undefined && env.NODE_ENV !== 'production' ? { kind: 'sandbox' } : null;
}

export type Config = ReturnType<typeof configFromEnv>;
export type LogLevel = Config['logLevel'];
export type WebhookSettings = Config['webhooks'];

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * The configuration that `env` describes, or a ConfigError with one line per bad variable.
 * Values are trimmed, and an empty one counts as unset.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const given: Partial<Record<EnvName, string>> = {};
  for (const name of ENV_NAMES) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') given[name] = value;
  }

  // Checked one variable at a time, so that every bad one is reported (TypeBox stops listing a
  // value's errors at 8) and each in one line.
  const problems: string[] = [];
  for (const name of ENV_NAMES) {
    const schema: TSchema & { description?: string; writeOnly?: boolean } = EnvSchema.properties[name];
    const value = given[name];
    if (value === undefined || Value.Check(schema, value)) continue;
    problems.push(`${name} must be ${schema.description ?? 'valid'}${schema.writeOnly === true ? '' : ` (got ${JSON.stringify(value)})`}`);
  }
  if (given.BLOB_STORE === 's3') {
    for (const name of S3_REQUIRED) if (given[name] === undefined) problems.push(`${name} is required when BLOB_STORE=s3`);
  }
  if (given.AA_BASE_URL !== undefined) {
    for (const name of AA_REQUIRED) if (given[name] === undefined) problems.push(`${name} is required when AA_BASE_URL is set`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const decoded = Value.Decode(EnvSchema, Value.Default(EnvSchema, { ...given }));
  // Node refuses a server whose headers may take longer than the whole request.
  if (decoded.HTTP_HEADERS_TIMEOUT_SECONDS > decoded.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError(['HTTP_HEADERS_TIMEOUT_SECONDS must not be more than HTTP_REQUEST_TIMEOUT_SECONDS']);
  }
  return configFromEnv(decoded, cwd);
}
