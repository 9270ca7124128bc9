/**
 * Local-files adapter (the default): each blob is one file under the root (DATA_DIR/blobs), its
 * key being the relative path. Suits one machine; several machines need the S3 adapter.
 *
 * A key cannot be both a blob and a prefix of other blobs here (`a` and `a/b`), because a path
 * cannot be both a file and a directory. Keys built as `<owner id>/<blob id>` never are.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { validateBlobKey, type BlobStore } from '../ports/blob-store.ts';

/**
 * Names the store makes for itself contain `~`, which no key segment may contain, so they can
 * never be mistaken for a blob or overwrite one.
 */
const OWN_NAME_MARK = '~';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  // ENOTDIR: a path component is a file; EISDIR: the key names a prefix, not a blob.
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/** Makes changes to a directory's entries (created, renamed or removed names) durable. */
async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class FsBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const directory = dirname(target);
    const firstCreated = await mkdir(directory, { recursive: true, mode: 0o700 });
    // Readers see the old blob or the new one, never a partial file: the bytes go to a temporary
    // file that is synced and then renamed over the target.
    const temporary = join(directory, `${randomBytes(8).toString('hex')}${OWN_NAME_MARK}.tmp`);
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw error;
    }
    // The rename, and each directory mkdir just created, is only an entry in its parent until
    // that parent is synced; without this a crash could lose a blob that put() acknowledged.
    const changedDirectories = [directory];
    if (firstCreated !== undefined) {
      for (let path = directory; path !== dirname(firstCreated); path = dirname(path)) {
        changedDirectories.push(dirname(path));
      }
    }
    for (const path of changedDirectories) await fsyncDirectory(path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    // Statements are personal data: once delete() resolves, a crash must not bring one back.
    await fsyncDirectory(dirname(path));
  }

  async deletePrefix(prefix: string): Promise<number> {
    const directory = this.pathOf(prefix);
    try {
      if (!(await lstat(directory)).isDirectory()) return 0;
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    // Renaming the whole directory away first removes every blob at once and durably (one
    // directory entry, one sync); counting and removing the files can then take their time.
    // A blob put under the prefix after this point lands in a fresh directory and stays.
    const parent = dirname(directory);
    const doomed = join(parent, `${randomBytes(8).toString('hex')}${OWN_NAME_MARK}deleting`);
    try {
      await rename(directory, doomed);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    await fsyncDirectory(parent);
    const entries = await readdir(doomed, { recursive: true, withFileTypes: true });
    const removed = entries.filter((entry) => entry.isFile() && !entry.name.includes(OWN_NAME_MARK)).length;
    await rm(doomed, { recursive: true, force: true });
    return removed;
  }

  private pathOf(key: string): string {
    validateBlobKey(key);
    const path = join(this.root, ...key.split('/'));
    // validateBlobKey already rules this out; this is the last line should it ever be loosened.
    if (!path.startsWith(this.root + sep)) throw new Error('Invalid blob key: it leaves the store root');
    return path;
  }
}
