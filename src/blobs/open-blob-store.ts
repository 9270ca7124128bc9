/** Picks the blob store from config: files under DATA_DIR/blobs, or an S3-compatible bucket. */
import path from 'node:path';
import type { Config } from '../config.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';

export async function openBlobStore(config: Pick<Config, 'blobStore' | 'dataDir'>): Promise<BlobStore> {
  const b = config.blobStore;
  if (b.kind === 's3') {
    // Loaded here, not imported above: the AWS SDK takes a fifth of a second to load, which
    // processes on local files (and the CLI) should not pay.
    const { S3BlobStore } = await import('./s3-blob-store.ts');
    return new S3BlobStore(b);
  }
  return new FsBlobStore(path.join(config.dataDir, 'blobs'));
}
