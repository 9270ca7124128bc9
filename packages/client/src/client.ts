/**
 * The client: one generic `call()` that sends any operation of the generated table
 * (generated/operations.ts, made from the server's /openapi.json) with the credentials its
 * security names, and a few named helpers over it for the session flow. Nothing here is written
 * per endpoint: the paths, parameters, bodies and answers all come from the table's types.
 * Uses only fetch, FormData, Blob and URL, so it runs in browsers and Node 18+.
 */
import { PassbookError } from './errors.ts';
import { operations, type OperationName, type Operations } from './generated/operations.ts';
import { systemClock, waitUntil, type WaitOptions } from './wait.ts';

export interface PassbookClientOptions {
  /** The server's base URL, e.g. http://localhost:8080 (its PUBLIC_URL). */
  baseUrl: string;
  /** The client's `api_key` (`pbk_…`), sent as x-api-key. */
  apiKey?: string;
  /** The client's `server_hash` (`pbs_…`), sent as server-hash to the data APIs. */
  serverHash?: string;
  /** ADMIN_TOKEN, for the admin API (Authorization: Bearer). */
  adminToken?: string;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof globalThis.fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export type RequestOf<K extends OperationName> = Operations[K]['request'];
export type ResponseOf<K extends OperationName> = Operations[K]['response'];
/** An operation's request argument, optional when nothing in it is required. */
export type CallArgs<K extends OperationName> = Operations[K]['requestRequired'] extends true ? [request: RequestOf<K>, init?: CallInit] : [request?: RequestOf<K>, init?: CallInit];

export interface CallInit {
  signal?: AbortSignal;
}

/** The parts of `session_data/<id>/…/` that a GET reads: insights, transactions, salary, progress, … */
export type SessionDataPart = {
  [K in OperationName]: K extends `GET /bank-connect/v1/session_data/{session_id}/${infer Part}/` ? Part : never;
}[OperationName];

type SessionDataOperation<P extends SessionDataPart> = `GET /bank-connect/v1/session_data/{session_id}/${P}/` & OperationName;

export type CreateSessionRequest = RequestOf<'POST /bank-connect/v1/session/'>['body'];
export type UploadStatementRequest = RequestOf<'POST /bank-connect/v1/statement/upload_session/'>['body'];
export type Progress = ResponseOf<'GET /bank-connect/v1/session_data/{session_id}/progress/'>;

type Body = Record<string, unknown>;

function isBinary(value: unknown): value is Blob | Uint8Array {
  return (typeof Blob !== 'undefined' && value instanceof Blob) || value instanceof Uint8Array;
}

/** A form field's text: objects (metadata) as JSON, as the server reads form bodies; numbers and booleans as JSON writes them too. */
function formText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The body in one of the media types the operation reads: JSON when it may be and nothing in it
 * is a file, otherwise a multipart form (files go as file parts), otherwise url-encoded.
 */
function encodeBody(consumes: readonly string[], body: Body): { body: BodyInit; contentType?: string } {
  const fields = Object.entries(body).filter(([, v]) => v !== undefined);
  const hasFile = fields.some(([, v]) => isBinary(v));
  if (consumes.includes('application/json') && !hasFile) return { body: JSON.stringify(Object.fromEntries(fields)), contentType: 'application/json' };
  if (consumes.includes('multipart/form-data')) {
    const form = new FormData();
    for (const [name, value] of fields) {
      if (isBinary(value)) form.append(name, value instanceof Uint8Array ? new Blob([value as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }) : value, 'statement.pdf');
      else form.append(name, formText(value));
    }
    // fetch sets the multipart content type with its boundary.
    return { body: form };
  }
  const form = new URLSearchParams();
  for (const [name, value] of fields) form.append(name, formText(value));
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

async function readAnswer(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 304) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const text = await response.text();
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
  if (/^text\/|xml|javascript/.test(type)) return response.text();
  const blob = await response.blob();
  return blob.size === 0 && type === '' ? undefined : blob;
}

function errorFrom(response: Response, body: unknown): PassbookError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const envelope = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (envelope && typeof envelope.code === 'string') {
    return new PassbookError({ code: envelope.code, message: typeof envelope.message === 'string' ? envelope.message : envelope.code, status: response.status, body, requestId });
  }
  return new PassbookError({ code: 'UNEXPECTED_RESPONSE', message: `HTTP ${response.status} without an error envelope`, status: response.status, body, requestId });
}

export class PassbookClient {
  readonly baseUrl: string;
  private readonly options: PassbookClientOptions;

  constructor(options: PassbookClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Sends one operation of the document, named `METHOD /path` as /openapi.json has it, and
   * answers its success body (parsed JSON, text, or a Blob). A refusal throws PassbookError.
   */
  async call<K extends OperationName>(operation: K, ...[request, init]: CallArgs<K>): Promise<ResponseOf<K>> {
    const info = operations[operation];
    const req = (request ?? {}) as { path?: Record<string, string>; query?: Record<string, unknown>; headers?: Record<string, string>; body?: Body };
    const path = info.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = req.path?.[name];
      if (value === undefined || value === '') throw new TypeError(`${operation}: path parameter ${name} is required`);
      return encodeURIComponent(value);
    });
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(name, formText(value));

    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    for (const scheme of info.security) {
      if (scheme === 'apiKey' && this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
      if (scheme === 'serverHash' && this.options.serverHash) headers['server-hash'] = this.options.serverHash;
      if (scheme === 'admin' && this.options.adminToken) headers.authorization = `Bearer ${this.options.adminToken}`;
    }
    for (const [name, value] of Object.entries(req.headers ?? {})) if (value !== undefined) headers[name] = value;
    let body: BodyInit | undefined;
    if (req.body !== undefined && info.consumes.length > 0) {
      const encoded = encodeBody(info.consumes, req.body);
      body = encoded.body;
      if (encoded.contentType) headers['content-type'] = encoded.contentType;
    }

    const fetchImpl = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchImpl(url, { method: info.method, headers, ...(body === undefined ? {} : { body }), ...(init?.signal ? { signal: init.signal } : {}) });
    } catch (error) {
      if ((error as { name?: string } | null)?.name === 'AbortError') throw error;
      throw new PassbookError({ code: 'NETWORK_ERROR', message: `${info.method} ${url.pathname}: ${(error as Error).message}`, status: 0, cause: error });
    }
    const answer = await readAnswer(response);
    if (!response.ok) throw errorFrom(response, answer);
    return answer as ResponseOf<K>;
  }

  /** Session API V1: `POST /bank-connect/v1/session/`. `idempotencyKey` makes a retry return the same session. */
  createSession(body: CreateSessionRequest, options: { idempotencyKey?: string } & CallInit = {}): Promise<ResponseOf<'POST /bank-connect/v1/session/'>> {
    const headers = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined;
    return this.call('POST /bank-connect/v1/session/', { body, ...(headers ? { headers } : {}) }, options);
  }

  /**
   * Uploads a statement into a session (`statement/upload_session/`): `file` as a Blob or bytes
   * (sent as a multipart file part), or `file_url`. `upload_type` defaults to PDF.
   */
  uploadStatement(
    body: Omit<UploadStatementRequest, 'upload_type' | 'file'> & { upload_type?: UploadStatementRequest['upload_type']; file?: Blob | Uint8Array | string },
    options: { identity?: boolean } & CallInit = {},
  ): Promise<ResponseOf<'POST /bank-connect/v1/statement/upload_session/'>> {
    const query = options.identity === undefined ? undefined : { identity: options.identity ? ('true' as const) : ('false' as const) };
    return this.call('POST /bank-connect/v1/statement/upload_session/', { body: { upload_type: 'PDF', ...body } as UploadStatementRequest, ...(query ? { query } : {}) }, options);
  }

  /** Uploads are done: processing starts (`initiate_processing/`). */
  initiateProcessing(sessionId: string, init?: CallInit): Promise<ResponseOf<'POST /bank-connect/v1/session_data/{session_id}/initiate_processing/'>> {
    return this.call('POST /bank-connect/v1/session_data/{session_id}/initiate_processing/', { path: { session_id: sessionId } }, init);
  }

  /** Any `GET session_data/<id>/<part>/`: details, session_upload_status, progress, insights, transactions, salary, … */
  sessionData<P extends SessionDataPart>(sessionId: string, part: P, init?: CallInit): Promise<ResponseOf<SessionDataOperation<P>>> {
    const operation = `GET /bank-connect/v1/session_data/{session_id}/${part}/` as SessionDataOperation<P>;
    if (!(operation in operations)) throw new TypeError(`unknown session_data part: ${part}`);
    // Every such operation takes exactly the session id; the cast joins the union of their argument types.
    return (this.call as (op: OperationName, request: unknown, init?: CallInit) => Promise<ResponseOf<SessionDataOperation<P>>>)(operation, { path: { session_id: sessionId } }, init);
  }

  uploadStatus(sessionId: string, init?: CallInit) {
    return this.sessionData(sessionId, 'session_upload_status', init);
  }

  progress(sessionId: string, init?: CallInit) {
    return this.sessionData(sessionId, 'progress', init);
  }

  insights(sessionId: string, init?: CallInit) {
    return this.sessionData(sessionId, 'insights', init);
  }

  /**
   * Polls `progress/` until `session_progress` is `completed` and answers that progress; throws
   * PassbookError WAIT_TIMEOUT when `timeoutMs` passes first. The clock is the caller's to give
   * (tests pass a virtual one); the wait grows by `backoff` up to `maxIntervalMs`.
   */
  async waitForCompletion(sessionId: string, options: WaitOptions<Progress> = {}): Promise<Progress> {
    return waitUntil(() => this.progress(sessionId, options.signal ? { signal: options.signal } : undefined), (p) => p.session_progress === 'completed', {
      clock: systemClock,
      ...options,
      what: `session ${sessionId} to complete processing`,
    });
  }
}

export function createClient(options: PassbookClientOptions): PassbookClient {
  return new PassbookClient(options);
}
