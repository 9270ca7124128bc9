import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { threadNiceness } from './thread-niceness.ts';

const linux = process.platform === 'linux';

test('lowerThreadPriority lowers only the calling thread', { skip: !linux && 'needs /proc/thread-self (Linux)' }, async () => {
  const before = threadNiceness();
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     // A worker does not inherit the --import tsx loader (see src/statements/pool/parse-worker.mjs).
     import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('../../src/lib/thread-priority.ts', import.meta.url).href)}); }).then(({ lowerThreadPriority }) => {
       const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
       parentPort.postMessage({ set: lowerThreadPriority(7), tid });
     });
     setInterval(() => {}, 1000);`,
    { eval: true },
  );
  try {
    const { set, tid } = await new Promise<{ set: number | null; tid: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.equal(set, 7);
    const after = threadNiceness();
    assert.equal(after.get(tid), 7, 'the worker thread runs at niceness 7');
    assert.equal(after.get(process.pid), before.get(process.pid), 'the main thread keeps its niceness');
    assert.equal([...after.values()].filter((n) => n === 7).length, 1, 'no other thread changed');
  } finally {
    await worker.terminate();
  }
});
