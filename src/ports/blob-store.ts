/**
 * The blob-store port: uploaded statement PDFs are kept here, outside the database. The local
 * files adapter (fs-blob-store.ts) is the default; the S3 adapter (s3-blob-store.ts) lets several
 * machines share the blobs. Keys are `/`-separated paths such as `<session id>/<statement id>.pdf`,
 * so everything belonging to one owner can be removed with `deletePrefix`.
 */
export interface BlobStore {
  /** Stores `bytes` under `key`, replacing any earlier blob; resolves once the blob is durable. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The blob's bytes, or null when there is no blob under `key`. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every blob whose key starts with `prefix/` and returns how many were removed. */
  deletePrefix(prefix: string): Promise<number>;
}

export const MAX_BLOB_KEY_LENGTH = 512;
const BLOB_KEY_SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Keys are built from ids, never from user input, but they become file paths and URL paths, so a
 * bad key must fail here rather than ever name something outside the store's root. `.` and `..`
 * segments are refused because file systems and URL parsers resolve them (two keys for one blob,
 * or a way out of the root); every other character outside the segment set is refused so that a
 * key needs no escaping anywhere and the adapters can keep names of their own (temporary files)
 * that no key can collide with.
 */
export function validateBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_BLOB_KEY_LENGTH) {
    throw new Error(`Invalid blob key: it must be 1 to ${MAX_BLOB_KEY_LENGTH} characters long`);
  }
  for (const segment of key.split('/')) {
    if (!BLOB_KEY_SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new Error(
        `Invalid blob key ${JSON.stringify(key.slice(0, 80))}: it must be segments of [A-Za-z0-9._-] ` +
          `separated by single "/", other than "." and "..", with no leading or trailing "/"`,
      );
    }
  }
}
