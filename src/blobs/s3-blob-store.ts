/**
 * S3 adapter: blobs in one bucket of any S3-compatible service (AWS S3, MinIO, Ceph, R2, …), so
 * that several machines share them. Requests go through the AWS SDK's S3 client (signing,
 * retries of throttling, 5xx answers and dropped connections, XML), path-style
 * (`endpoint/bucket/key`) because custom endpoints rarely have per-bucket DNS names.
 *
 * The SDK takes a fifth of a second to load, so this module is imported only when
 * BLOB_STORE=s3 (see open-blob-store.ts): the default setup and the CLI never load it.
 *
 * Error messages carry the operation, the key, the HTTP status and S3's error code; the secret
 * key goes only to the SDK's client, which is kept in a #private field so that logging or
 * inspecting the store cannot print it.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
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
  /** How long one operation may take, retries included; 60 s unless set. */
  operationTimeoutMs?: number;
}

// A hung connection must not hold an upload or a session's clean-up forever; a few MB of PDF
// take well under this on any working link.
const OPERATION_TIMEOUT_MS = 60_000;
// Enough to hide per-request latency when clearing a prefix, few enough not to be throttled.
const DELETE_CONCURRENCY = 8;
const MAX_ATTEMPTS = 3;

export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  private readonly bucket: string;
  private readonly listPageSize: number;
  private readonly operationTimeoutMs: number;

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
    this.bucket = options.bucket;
    this.listPageSize = options.listPageSize ?? 1000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? OPERATION_TIMEOUT_MS;
    this.#client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      maxAttempts: MAX_ATTEMPTS,
      // The SDK's default adds CRC32 checksum headers that many S3-compatible servers refuse or
      // mishandle; the signed x-amz-content-sha256 of each body already guards its integrity.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    validateBlobKey(key);
    await this.send('PutObject', key, (signal) =>
      this.#client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: 'application/octet-stream' }),
        { abortSignal: signal },
      ),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    validateBlobKey(key);
    const bytes = await this.send<Uint8Array | null>(
      'GetObject',
      key,
      async (signal) => {
        const response = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
        if (response.Body === undefined) throw new Error('the response has no body');
        // Read within the operation's time limit: a body that stalls midway fails like a request.
        return response.Body.transformToByteArray();
      },
      { codes: ['NoSuchKey'], value: null },
    );
    return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async delete(key: string): Promise<void> {
    validateBlobKey(key);
    // S3 answers 204 for a missing key; some compatible servers answer 404 NoSuchKey instead.
    await this.send<unknown>(
      'DeleteObject',
      key,
      (signal) => this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal }),
      { codes: ['NoSuchKey'], value: undefined },
    );
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
      const page = await this.send('ListObjectsV2', '', (signal) =>
        this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            MaxKeys: this.listPageSize,
            ContinuationToken: continuationToken,
          }),
          { abortSignal: signal },
        ),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      if (page.IsTruncated === true && continuationToken === undefined) {
        throw new Error(`S3 ListObjectsV2 of ${JSON.stringify(prefix)} was truncated without a continuation token`);
      }
    } while (continuationToken !== undefined);
    return keys;
  }

  /**
   * Runs one operation (the SDK retries it as needed) within operationTimeoutMs and returns its
   * result, or `missing.value` when it failed with a 404 whose S3 error code is in `missing.codes`
   * (the caller's "no such blob"). Any other failure throws an error that names the operation,
   * the key, and the status and error code, or the network's reason.
   */
  private async send<T>(
    operation: string,
    key: string,
    run: (signal: AbortSignal) => Promise<T>,
    missing?: { codes: string[]; value: T },
  ): Promise<T> {
    const subject = key === '' ? `in bucket ${this.bucket}` : `of ${JSON.stringify(key)}`;
    const what = `S3 ${operation} ${subject}`;
    const signal = AbortSignal.timeout(this.operationTimeoutMs);
    try {
      return await run(signal);
    } catch (error) {
      if (error instanceof S3ServiceException) {
        const status = error.$metadata.httpStatusCode;
        const code = /^[A-Za-z0-9.]{1,64}$/.test(error.name) ? error.name : 'no error code';
        if (missing !== undefined && status === 404 && missing.codes.includes(code)) return missing.value;
        throw new Error(`${what} failed: ${status ?? 'no status'} ${code}`, { cause: error });
      }
      if (signal.aborted) {
        throw new Error(`${what} failed: not done within ${this.operationTimeoutMs / 1000} s`, { cause: error });
      }
      // Network failures: the message carries the reason (connect ECONNREFUSED …, socket hang up).
      throw new Error(`${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
