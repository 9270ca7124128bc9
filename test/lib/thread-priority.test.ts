import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { ParsePool } from '../../src/statements/pool/parse-pool.ts';
import { statement } from '../statements/statement-fixtures.ts';
import { until } from '../helper.ts';

/** Each thread of this process and its niceness (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceness(): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The name (field 2) is in parentheses and may hold spaces: count fields after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(Number(tid), Number(fields[16]));
  }
  return threads;
}

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

test("the parse pool's threads run below the event loop's priority", { skip: !linux && 'needs /proc/thread-self (Linux)' }, async (t) => {
  const pool = new ParsePool({ workers: 2, timeoutMs: 60_000, maxHeapMb: 512 });
  t.after(() => pool.close());
  const mainNiceness = threadNiceness().get(process.pid)!;
  pool.warm();
  const pdf = await renderStatementPdf(statement('hdfc', { count: 10 }));
  await Promise.all([pool.parse(pdf), pool.parse(pdf)]);
  // A worker lowers its priority as its code loads; the second may still be loading.
  await until('both workers niced', async () => [...threadNiceness().values()].filter((n) => n === 10).length, (n) => n >= 2);
  assert.equal([...threadNiceness().values()].filter((n) => n === 10).length, 2, 'one niced thread per worker, no more');
  assert.equal(threadNiceness().get(process.pid), mainNiceness);
});
