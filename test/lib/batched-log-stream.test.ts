/** The server's log stream (src/lib/batched-log-stream.ts): one write per event-loop turn, nothing lost or reordered. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchedLogStream } from '../../src/lib/batched-log-stream.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('lines written in one turn reach the sink as one write, in order, at the next turn', async () => {
  const writes: string[] = [];
  const stream = new BatchedLogStream({ sink: (text) => writes.push(text), flushAtExit: false });
  for (let i = 0; i < 200; i++) stream.write(`{"n":${i}}\n`);
  assert.equal(writes.length, 0, 'nothing is written during the turn');
  await nextTurn();
  assert.equal(writes.length, 1);
  assert.deepEqual(writes[0]!.trimEnd().split('\n').map((l) => JSON.parse(l).n), Array.from({ length: 200 }, (_, i) => i));
  stream.write('{"n":"later"}\n');
  await nextTurn();
  assert.deepEqual(writes.slice(1), ['{"n":"later"}\n'], 'a later turn gets a write of its own');
  await nextTurn();
  assert.equal(writes.length, 2, 'an idle turn writes nothing');
});

test('a batch past maxBytes is written at once; flush() writes what is left', () => {
  const writes: string[] = [];
  const stream = new BatchedLogStream({ sink: (text) => writes.push(text), maxBytes: 100, flushAtExit: false });
  const line = `${'x'.repeat(39)}\n`;
  stream.write(line);
  stream.write(line);
  assert.equal(writes.length, 0);
  stream.write(line);
  assert.deepEqual(writes, [line.repeat(3)], '120 bytes went out without waiting for the turn');
  stream.write('tail\n');
  stream.flush();
  assert.deepEqual(writes, [line.repeat(3), 'tail\n']);
});
