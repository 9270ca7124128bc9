/** Picks the blob store from config: files under DATA_DIR/blobs, or an S3-compatible bucket. */
import path from 'node:path';
import type { Config } from '../config.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

export function openBlobStore(config: Pick<Config, 'blobStore' | 'dataDir'>): BlobStore {
  const b = config.blobStore;
  if (b.kind === 's3') return new S3BlobStore(b);
  return new FsBlobStore(path.join(config.dataDir, 'blobs'));
}
