/**
 * S3 adapter: blobs in one bucket of any S3-compatible service (AWS S3, MinIO, Ceph, R2, …), so
 * that several machines share them. Requests go through the global fetch, path-style
 * (`endpoint/bucket/key`) because custom endpoints rarely have per-bucket DNS names, and are
 * signed with AWS Signature Version 4, implemented here to keep an SDK out of the dependencies.
 *
 * Error messages carry the operation, the key, the HTTP status and S3's error code; the secret
 * key never leaves the signing code and is kept in a #private field so that logging or
 * inspecting the store cannot print it.
 */
import { createHash, createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateBlobKey, type BlobStore } from '../ports/blob-store.ts';

export interface S3BlobStoreOptions {
  /** Scheme, host, optional port and optional path, e.g. `https://s3.ap-south-1.amazonaws.com`. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys per ListObjectsV2 page; S3 returns at most (and by default) 1000. */
  listPageSize?: number;
}

export interface SigningCredentials {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignableRequest {
  method: string;
  /** The path exactly as sent, already percent-encoded. */
  canonicalUri: string;
  /** The query exactly as sent: `name=value` pairs, already percent-encoded, joined by `&`. */
  query: string;
  /** Every header to sign, including `host`, `x-amz-date` and `x-amz-content-sha256`. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body (the value of `x-amz-content-sha256`). */
  payloadHash: string;
}

const SERVICE = 's3';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_PAYLOAD_HASH = sha256Hex(new Uint8Array(0));
// A hung connection must not hold an upload or a session's clean-up forever; a few MB of PDF
// take well under this on any working link.
const REQUEST_TIMEOUT_MS = 60_000;
// Enough to hide per-request latency when clearing a prefix, few enough not to be throttled.
const DELETE_CONCURRENCY = 8;
const MAX_ATTEMPTS = 3;
const RETRY_BASE_DELAY_MS = 100;
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Uint8Array | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** SigV4's URI encoding: RFC 3986, so encodeURIComponent plus the five characters it leaves. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `YYYYMMDDTHHMMSSZ`, the form SigV4 wants in `x-amz-date`. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** SigV4 sorts the query by parameter name (then value), comparing the encoded bytes. */
function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    return equals === -1 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
  });
  pairs.sort(([an = '', av = ''], [bn = '', bv = '']) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * The `Authorization` header value for a request, per AWS Signature Version 4. The date comes
 * from the request's `x-amz-date` header, which is signed along with it.
 */
export function signatureV4Authorization(request: SignableRequest, credentials: SigningCredentials): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const timestamp = headers.find(([name]) => name === 'x-amz-date')?.[1];
  if (timestamp === undefined) throw new Error('SigV4 signing needs an x-amz-date header');
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonicalRequest = [
    request.method,
    request.canonicalUri,
    canonicalQuery(request.query),
    ...headers.map(([name, value]) => `${name}:${value}`),
    '',
    signedHeaders,
    request.payloadHash,
  ].join('\n');
  const day = timestamp.slice(0, 8);
  const scope = `${day}/${credentials.region}/${SERVICE}/aws4_request`;
  const stringToSign = [ALGORITHM, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const dateKey = hmac(`AWS4${credentials.secretAccessKey}`, day);
  const signingKey = hmac(hmac(hmac(dateKey, credentials.region), SERVICE), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

/** Unescapes XML text: the five predefined entities and numeric character references. */
function xmlUnescape(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

/**
 * The text of every `<name>…</name>` element, in order. S3's responses are flat, attribute-free
 * XML with unique element names where we read them, so a scan for the tags is enough.
 */
export function xmlElementTexts(xml: string, name: string): string[] {
  const open = `<${name}>`;
  const close = `</${name}>`;
  const texts: string[] = [];
  let from = 0;
  for (;;) {
    const start = xml.indexOf(open, from);
    if (start === -1) return texts;
    const end = xml.indexOf(close, start + open.length);
    if (end === -1) return texts;
    texts.push(xmlUnescape(xml.slice(start + open.length, end)));
    from = end + close.length;
  }
}

interface S3Request {
  operation: string;
  method: 'GET' | 'PUT' | 'DELETE';
  /** The object key, or '' for the bucket itself. */
  key: string;
  query?: Record<string, string>;
  body?: Uint8Array;
}

export class S3BlobStore implements BlobStore {
  private readonly origin: string;
  private readonly bucketPath: string;
  private readonly bucket: string;
  private readonly region: string;
  private readonly accessKeyId: string;
  readonly #secretAccessKey: string;
  private readonly listPageSize: number;

  constructor(options: S3BlobStoreOptions) {
    const endpoint = new URL(options.endpoint);
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
      throw new Error(`S3 endpoint must be an http(s) URL, not ${endpoint.protocol}`);
    }
    if (endpoint.search !== '' || endpoint.hash !== '') throw new Error('S3 endpoint must not have a query or fragment');
    if (!/^[A-Za-z0-9._-]+$/.test(options.bucket)) throw new Error(`Invalid S3 bucket name ${JSON.stringify(options.bucket)}`);
    if (options.region === '' || options.accessKeyId === '' || options.secretAccessKey === '') {
      throw new Error('S3 region, access key id and secret access key are required');
    }
    this.origin = endpoint.origin;
    this.bucketPath = `${endpoint.pathname.replace(/\/+$/, '')}/${options.bucket}`;
    this.bucket = options.bucket;
    this.region = options.region;
    this.accessKeyId = options.accessKeyId;
    this.#secretAccessKey = options.secretAccessKey;
    this.listPageSize = options.listPageSize ?? 1000;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    validateBlobKey(key);
    const response = await this.send({ operation: 'PutObject', method: 'PUT', key, body: bytes });
    await response.body?.cancel();
  }

  async get(key: string): Promise<Buffer | null> {
    validateBlobKey(key);
    const response = await this.send({ operation: 'GetObject', method: 'GET', key }, ['NoSuchKey']);
    if (response.status === 404) return null;
    return Buffer.from(await response.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    validateBlobKey(key);
    // S3 answers 204 for a missing key; some compatible servers answer 404 NoSuchKey instead.
    const response = await this.send({ operation: 'DeleteObject', method: 'DELETE', key }, ['NoSuchKey']);
    await response.body?.cancel();
  }

  async deletePrefix(prefix: string): Promise<number> {
    validateBlobKey(prefix);
    // Listing everything before deleting anything keeps the continuation tokens meaningful
    // (deleting between pages could make a server skip keys) and lets a foreign key stop the
    // whole operation before it has half happened.
    const keys = await this.listKeys(`${prefix}/`);
    for (const key of keys) validateBlobKey(key);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const key = keys[next++];
        if (key !== undefined) await this.delete(key);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, keys.length) }, worker));
    return keys.length;
  }

  private async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      const query: Record<string, string> = {
        'list-type': '2',
        prefix,
        'max-keys': String(this.listPageSize),
      };
      if (continuationToken !== undefined) query['continuation-token'] = continuationToken;
      const response = await this.send({ operation: 'ListObjectsV2', method: 'GET', key: '', query });
      const xml = await response.text();
      for (const contents of xmlElementTexts(xml, 'Contents')) {
        // Contents holds Key, LastModified, ETag, Size, StorageClass and Owner; only Key is <Key>.
        const key = xmlElementTexts(contents, 'Key')[0];
        if (key !== undefined) keys.push(key);
      }
      const truncated = xmlElementTexts(xml, 'IsTruncated')[0] === 'true';
      continuationToken = truncated ? xmlElementTexts(xml, 'NextContinuationToken')[0] : undefined;
      if (truncated && continuationToken === undefined) {
        throw new Error(`S3 ListObjectsV2 of ${JSON.stringify(prefix)} was truncated without a continuation token`);
      }
    } while (continuationToken !== undefined);
    return keys;
  }

  /**
   * Signs and sends one request. A 2xx response is returned; so is a 404 whose S3 error code is
   * in `missingCodes` (the caller treats it as "no such blob"). Anything else throws.
   */
  private async send(request: S3Request, missingCodes: string[] = []): Promise<Response> {
    const encodedKey = request.key.split('/').map(encodeRfc3986).join('/');
    const query = Object.entries(request.query ?? {})
      .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
      .join('&');
    const url = new URL(`${this.origin}${this.bucketPath}/${encodedKey}${query === '' ? '' : `?${query}`}`);
    const body = request.body === undefined ? undefined : unsharedBytes(request.body);
    const payloadHash = body === undefined ? EMPTY_PAYLOAD_HASH : sha256Hex(body);
    const subject = request.key === '' ? `in bucket ${this.bucket}` : `of ${JSON.stringify(request.key)}`;
    const what = `S3 ${request.operation} ${subject}`;
    // Every operation here is idempotent (a put sends the whole blob), so the transient failures
    // S3 documents (500 InternalError, 503 SlowDown, …) and dropped connections are retried.
    for (let attempt = 1; ; attempt++) {
      const retryable = attempt < MAX_ATTEMPTS;
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method,
          headers: this.signedHeaders(request.method, url, payloadHash, body !== undefined),
          ...(body === undefined ? {} : { body }),
          // A redirect (e.g. PermanentRedirect for the wrong region) is reported, not followed:
          // the signature covers the host, so following it could only fail less clearly.
          redirect: 'manual',
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        // A timed-out request is not retried: it has already held the caller for long enough.
        if (retryable && (error as Error).name !== 'TimeoutError') {
          await retryDelay(attempt);
          continue;
        }
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, ECONNRESET, …) is its cause.
        const cause = (error as Error).cause;
        const reason = cause instanceof Error ? `: ${cause.message}` : '';
        throw new Error(`${what} failed: ${(error as Error).message}${reason}`, { cause: error });
      }
      if (response.ok) return response;
      const errorCode = s3ErrorCode(await response.text().catch(() => ''));
      if (response.status === 404 && missingCodes.includes(errorCode)) return response;
      if (retryable && RETRYABLE_STATUSES.has(response.status)) {
        await retryDelay(attempt);
        continue;
      }
      throw new Error(`${what} failed: ${response.status} ${errorCode || response.statusText || 'no error code'}`);
    }
  }

  /** The headers to send, signed now (a retry is signed afresh, with its own x-amz-date). */
  private signedHeaders(method: string, url: URL, payloadHash: string, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDate(new Date()),
    };
    if (hasBody) headers['content-type'] = 'application/octet-stream';
    const authorization = signatureV4Authorization(
      { method, canonicalUri: url.pathname, query: url.search.slice(1), headers, payloadHash },
      { region: this.region, accessKeyId: this.accessKeyId, secretAccessKey: this.#secretAccessKey },
    );
    // fetch derives Host from the URL itself (and refuses to have it set), as it was signed.
    const { host: _signedHost, ...sent } = headers;
    return { ...sent, authorization };
  }
}

/** Exponential backoff with jitter, so that clients throttled together do not retry together. */
function retryDelay(attempt: number): Promise<void> {
  return sleep(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
}

/** fetch cannot send from shared memory; such a view is copied, any other is sent as it is. */
function unsharedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** The `<Code>` of an S3 error body, limited to what an error code can look like. */
function s3ErrorCode(body: string): string {
  const code = xmlElementTexts(body, 'Code')[0] ?? '';
  return /^[A-Za-z0-9.]{1,64}$/.test(code) ? code : '';
}
