import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { validateBlobKey } from '../../src/ports/blob-store.ts';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.ts';

/** A store rooted at `<temp dir>/blobs` (not yet created), removed when the test ends. */
async function tempStore(t: TestContext): Promise<{ store: FsBlobStore; dir: string; root: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'passbook-blobs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const root = join(dir, 'blobs');
  return { store: new FsBlobStore(root), dir, root };
}

const BAD_KEYS = [
  '',
  '/abs',
  'a/',
  'a//b',
  '..',
  'a/../b',
  '../outside',
  '.',
  'a/./b',
  'a\\b',
  'a b',
  'a~b',
  'a\0b',
  'ü.pdf',
  'x'.repeat(513),
];

test('validateBlobKey accepts id-shaped paths and refuses anything else', () => {
  for (const key of ['a', 'session-1/statement_2.pdf', 'A.b-c_d/e/f', '...', `${'x'.repeat(511)}`, `a/${'x'.repeat(510)}`]) {
    assert.doesNotThrow(() => validateBlobKey(key), key);
  }
  for (const key of BAD_KEYS) assert.throws(() => validateBlobKey(key), Error, JSON.stringify(key));
});

test('binary blobs round-trip byte for byte, including a 3 MB one', async (t) => {
  const { store, root } = await tempStore(t);
  const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
  const large = randomBytes(3 * 1024 * 1024);
  await store.put('s1/every-byte.bin', everyByte);
  await store.put('s1/large.pdf', large);
  await store.put('s1/empty', new Uint8Array(0));

  assert.deepEqual(await store.get('s1/every-byte.bin'), Buffer.from(everyByte));
  const got = await store.get('s1/large.pdf');
  assert.ok(got !== null && Buffer.isBuffer(got));
  assert.ok(got.equals(large));
  assert.deepEqual(await store.get('s1/empty'), Buffer.alloc(0));
  // Statements are personal data: readable by the service's user only.
  assert.equal((await stat(join(root, 's1', 'large.pdf'))).mode & 0o777, 0o600);
});

test('a view into a larger buffer stores only the viewed bytes', async (t) => {
  const { store } = await tempStore(t);
  const backing = Buffer.from('xxHELLOxx');
  await store.put('view', backing.subarray(2, 7));
  assert.equal((await store.get('view'))?.toString(), 'HELLO');
});

test('a missing key reads as null, before and after the root exists', async (t) => {
  const { store } = await tempStore(t);
  assert.equal(await store.get('nothing'), null);
  await store.put('s1/a.pdf', Buffer.from('a'));
  assert.equal(await store.get('s1/b.pdf'), null);
  assert.equal(await store.get('s2/a.pdf'), null);
  assert.equal(await store.get('s1'), null, 'a prefix is not a blob');
  assert.equal(await store.get('s1/a.pdf/deeper'), null, 'nothing lives below a blob');
});

test('put replaces an earlier blob and leaves no temporary files behind', async (t) => {
  const { store, root } = await tempStore(t);
  await store.put('s1/a.pdf', Buffer.from('first version, longer'));
  await store.put('s1/a.pdf', Buffer.from('second'));
  assert.equal((await store.get('s1/a.pdf'))?.toString(), 'second');
  assert.deepEqual(await readdir(join(root, 's1')), ['a.pdf']);
});

test('concurrent puts of one key leave one whole version', async (t) => {
  const { store, root } = await tempStore(t);
  const versions = Array.from({ length: 10 }, (_, i) => Buffer.alloc(100_000, i));
  await Promise.all(versions.map((bytes) => store.put('s1/a.pdf', bytes)));
  const got = await store.get('s1/a.pdf');
  assert.ok(got !== null && versions.some((bytes) => bytes.equals(got)));
  assert.deepEqual(await readdir(join(root, 's1')), ['a.pdf']);
});

test('delete removes the blob and is idempotent', async (t) => {
  const { store } = await tempStore(t);
  await store.delete('never/existed');
  await store.put('s1/a.pdf', Buffer.from('a'));
  await store.put('s1/b.pdf', Buffer.from('b'));
  await store.delete('s1/a.pdf');
  assert.equal(await store.get('s1/a.pdf'), null);
  await store.delete('s1/a.pdf');
  await store.delete('s1');
  assert.equal((await store.get('s1/b.pdf'))?.toString(), 'b', 'deleting a prefix as a key removes nothing');
});

test('deletePrefix removes everything under prefix/, counts it, and leaves other prefixes alone', async (t) => {
  const { store, root } = await tempStore(t);
  await store.put('s1/a.pdf', Buffer.from('a'));
  await store.put('s1/b.pdf', Buffer.from('b'));
  await store.put('s1/nested/c.pdf', Buffer.from('c'));
  await store.put('s10/a.pdf', Buffer.from('s10'));
  await store.put('s2/a.pdf', Buffer.from('s2'));
  await store.put('s1.pdf', Buffer.from('sibling file'));

  assert.equal(await store.deletePrefix('s1'), 3);
  for (const key of ['s1/a.pdf', 's1/b.pdf', 's1/nested/c.pdf']) assert.equal(await store.get(key), null, key);
  assert.equal((await store.get('s10/a.pdf'))?.toString(), 's10');
  assert.equal((await store.get('s2/a.pdf'))?.toString(), 's2');
  assert.equal((await store.get('s1.pdf'))?.toString(), 'sibling file');
  assert.deepEqual((await readdir(root)).sort(), ['s1.pdf', 's10', 's2'], 'no renamed-away directory is left');

  assert.equal(await store.deletePrefix('s1'), 0);
  assert.equal(await store.deletePrefix('never'), 0);
  assert.equal(await store.deletePrefix('s1.pdf'), 0, 'a blob is not a prefix');
  assert.equal((await store.get('s1.pdf'))?.toString(), 'sibling file');

  await store.put('s1/again.pdf', Buffer.from('again'));
  assert.equal((await store.get('s1/again.pdf'))?.toString(), 'again');
  assert.equal(await store.deletePrefix('s2/a.pdf'), 0);
});

test('deletePrefix on a nested prefix and on a store whose root does not exist', async (t) => {
  const { store } = await tempStore(t);
  assert.equal(await store.deletePrefix('s1'), 0);
  await store.put('s1/x/a.pdf', Buffer.from('a'));
  await store.put('s1/y/b.pdf', Buffer.from('b'));
  assert.equal(await store.deletePrefix('s1/x'), 1);
  assert.equal((await store.get('s1/y/b.pdf'))?.toString(), 'b');
});

test('bad keys are refused by every operation and nothing is written outside the root', async (t) => {
  const { store, dir, root } = await tempStore(t);
  await mkdir(root);
  for (const key of BAD_KEYS) {
    await assert.rejects(store.put(key, Buffer.from('x')), Error, `put ${JSON.stringify(key)}`);
    await assert.rejects(store.get(key), Error, `get ${JSON.stringify(key)}`);
    await assert.rejects(store.delete(key), Error, `delete ${JSON.stringify(key)}`);
    await assert.rejects(store.deletePrefix(key), Error, `deletePrefix ${JSON.stringify(key)}`);
  }
  assert.deepEqual(await readdir(dir), ['blobs']);
  assert.deepEqual(await readdir(root), []);
});
