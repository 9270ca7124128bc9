/**
 * Embedded adapter on its own thread: the same PGlite store as pglite-db.ts, run in a worker
 * thread (pglite-thread.ts) so that its synchronous WebAssembly work never stalls the event loop
 * that answers requests. The server's embedded store opens this; tests and tools that want the
 * database in their own thread use pglite-db.ts directly.
 *
 * Values cross threads by structured clone, which keeps what the store's type mapping produces
 * (bigint, Date, Uint8Array, parsed JSON). Errors come back as plain errors with the database's
 * fields (`code` is the SQLSTATE, as db-errors.ts expects).
 */
import { Worker } from 'node:worker_threads';
import type { Db, Queryable, Row } from '../ports/db.ts';
import type { PgliteOptions } from './pglite-db.ts';

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin'; tx?: undefined }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close'; tx?: undefined }
  | { id: number; op: 'ping'; tx?: undefined };

/** `rows` answers a request (and `tx` a `begin`); `ended` says a transaction begun by request `id` is over. */
export interface ThreadReply {
  id: number;
  rows?: Row[];
  tx?: number;
  ended?: number;
  error?: Record<string, unknown>;
  /** To a `ping`: how long the oldest statement still waiting for PGlite has waited, in ms (0: none). */
  oldestWaitMs?: number;
}

/**
 * A ping fails when a statement has waited longer than this: the store is stuck (a transaction
 * left open, a runaway query), not merely busy. A burst of short statements clears in far less.
 */
export const STORE_STUCK_MS = 2000;

const THREAD_URL = import.meta.url.endsWith('.ts') ? new URL('./pglite-thread.mjs', import.meta.url) : new URL('./pglite-thread.js', import.meta.url);

function databaseError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message)), fields);
}

interface Waiting {
  resolve: (reply: ThreadReply) => void;
  reject: (error: Error) => void;
}

/**
 * PGlite's parameter serializer runs on the store's thread, after a structured clone that drops
 * prototypes: an object that serializes itself (`toJSON`) is turned into its JSON text here, as
 * PGlite would have done with it in this thread.
 */
function cloneableParam(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date || ArrayBuffer.isView(value) || Array.isArray(value)) return value;
  return typeof (value as { toJSON?: unknown }).toJSON === 'function' ? JSON.stringify(value) : value;
}

export async function openPgliteThread(options: PgliteOptions = {}, { stuckAfterMs = STORE_STUCK_MS } = {}): Promise<Db> {
  // A Blob does not cross to a worker on Node 20; its bytes do.
  const { loadDataDir, ...rest } = options;
  const workerData = { ...rest, ...(loadDataDir ? { loadDataDirBytes: new Uint8Array(await loadDataDir.arrayBuffer()) } : {}) };
  const worker = new Worker(THREAD_URL, { workerData });
  const waiting = new Map<number, Waiting>();
  const transactionsEnding = new Map<number, Waiting>();
  let nextId = 1;
  let stopped: Error | null = null;

  const ready = new Promise<void>((resolve, reject) => waiting.set(0, { resolve: () => resolve(), reject }));
  const failAll = (error: Error) => {
    stopped ??= error;
    for (const w of [...waiting.values(), ...transactionsEnding.values()]) w.reject(error);
    waiting.clear();
    transactionsEnding.clear();
  };
  worker.on('message', (reply: ThreadReply) => {
    if (reply.ended !== undefined) {
      const error = reply.error ? databaseError(reply.error) : null;
      // A transaction whose BEGIN failed ends before it was ever answered.
      const begun = waiting.get(reply.id);
      if (begun) {
        waiting.delete(reply.id);
        begun.reject(error ?? new Error('the transaction could not begin'));
      }
      const ending = transactionsEnding.get(reply.id);
      transactionsEnding.delete(reply.id);
      if (error) ending?.reject(error);
      else ending?.resolve(reply);
      return;
    }
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error) w?.reject(databaseError(reply.error));
    else w?.resolve(reply);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the embedded store's thread stopped (exit code ${code})`)));

  const send = (request: ThreadRequest, alsoWhenEnded?: Waiting): Promise<ThreadReply> =>
    new Promise((resolve, reject) => {
      if (stopped) return reject(stopped);
      waiting.set(request.id, { resolve, reject });
      if (alsoWhenEnded) transactionsEnding.set(request.id, alsoWhenEnded);
      worker.postMessage(request);
    });
  const queryable = (tx?: number): Queryable => ({
    async query<R extends Row>(sql: string, params: unknown[] = []) {
      return (await send({ id: nextId++, op: 'query', sql, params: params.map(cloneableParam), ...(tx === undefined ? {} : { tx }) })).rows as R[];
    },
    async exec(sql: string) {
      await send({ id: nextId++, op: 'exec', sql, ...(tx === undefined ? {} : { tx }) });
    },
  });

  await ready;
  return {
    kind: 'pglite',
    ...queryable(),
    async transaction(fn) {
      const id = nextId++;
      let ending!: Waiting;
      const ended = new Promise<unknown>((resolve, reject) => (ending = { resolve, reject }));
      // Unobserved until the end: a rejected BEGIN is reported through `send` below.
      ended.catch(() => {});
      const begun = await send({ id, op: 'begin' }, ending);
      const tx = begun.tx!;
      let result;
      try {
        result = await fn(queryable(tx));
      } catch (error) {
        if (!stopped) worker.postMessage({ id, op: 'end', tx, commit: false } satisfies ThreadRequest);
        await ended.catch(() => {});
        throw error;
      }
      if (stopped) throw stopped;
      worker.postMessage({ id, op: 'end', tx, commit: true } satisfies ThreadRequest);
      await ended;
      return result;
    },
    // Answered by the thread between statements, without queueing behind PGlite's own queue.
    async ping() {
      const { oldestWaitMs } = await send({ id: nextId++, op: 'ping' });
      if ((oldestWaitMs ?? 0) > stuckAfterMs) throw new Error(`a statement has waited ${Math.round(oldestWaitMs!)} ms for the embedded store`);
    },
    // Closing twice is harmless (shutdown paths and tests may both close).
    async close() {
      if (stopped) return;
      await send({ id: nextId++, op: 'close' });
      stopped = new Error('the embedded store is closed');
      await worker.terminate();
    },
  };
}
