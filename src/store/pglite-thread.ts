/**
 * The embedded store's own thread (pglite-thread-db.ts is the side the app talks to). PGlite runs
 * PostgreSQL compiled to WebAssembly synchronously inside every `query`: on the main thread each
 * statement stalls every request in flight (issue 13 measured 30% of the main thread in it under
 * load). Here it stalls only this thread.
 *
 * Requests are answered in the order PGlite finishes them. A transaction is opened by `begin`
 * and stays open, inside `pglite.transaction`, until `end` arrives; PGlite's own lock keeps other
 * statements waiting meanwhile, exactly as on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite, type PgliteOptions } from './pglite-db.ts';
import type { Queryable } from '../ports/db.ts';
import type { ThreadReply, ThreadRequest } from './pglite-thread-db.ts';

const port = parentPort!;
const { loadDataDirBytes, ...options } = workerData as PgliteOptions & { loadDataDirBytes?: Uint8Array };
const db = await openPglite({ ...options, ...(loadDataDirBytes ? { loadDataDir: new Blob([new Uint8Array(loadDataDirBytes)]) } : {}) });
/** Open transactions: their handle, and how to end them. */
const transactions = new Map<number, { tx: Queryable; end: (commit: boolean) => void }>();
let nextTransaction = 1;
/** When each statement (or BEGIN) not yet answered arrived: a ping reports the oldest. */
const waitingSince = new Map<number, number>();
/** Thrown inside a transaction that is to roll back; never leaves this file. */
const ROLLBACK = new Error('rolled back by its caller');

/** What crosses to the other thread of an error: its message and its fields (`code` is the SQLSTATE). */
function plainError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  return { ...fields, name: error.name, message: error.message };
}

function reply(message: ThreadReply): void {
  port.postMessage(message);
}

async function handle(request: ThreadRequest): Promise<void> {
  if (request.op === 'ping') {
    const oldest = Math.min(...waitingSince.values());
    return reply({ id: request.id, rows: [], oldestWaitMs: waitingSince.size === 0 ? 0 : performance.now() - oldest });
  }
  const target = request.tx === undefined ? db : transactions.get(request.tx)?.tx;
  switch (request.op) {
    case 'query':
    case 'exec': {
      if (!target) throw new Error('the transaction has ended');
      const rows = request.op === 'query' ? await target.query(request.sql, request.params) : (await target.exec(request.sql), []);
      return reply({ id: request.id, rows });
    }
    case 'begin': {
      const tx = nextTransaction++;
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const done = db
        .transaction(async (handle) => {
          const ended = new Promise<boolean>((resolve) => transactions.set(tx, { tx: handle, end: resolve }));
          opened();
          if (!(await ended)) throw ROLLBACK;
        })
        .then(
          () => reply({ id: request.id, ended: tx }),
          (error: unknown) => reply(error === ROLLBACK ? { id: request.id, ended: tx } : { id: request.id, ended: tx, error: plainError(error) }),
        )
        .finally(() => transactions.delete(tx));
      // The answer to `begin` is the transaction's number, once its BEGIN has run; the same
      // request id is answered again when the transaction ends (`ended`).
      await Promise.race([open, done]);
      if (transactions.has(tx)) reply({ id: request.id, rows: [], tx });
      return;
    }
    case 'end': {
      transactions.get(request.tx)?.end(request.commit);
      return;
    }
    case 'close': {
      await db.close();
      reply({ id: request.id, rows: [] });
      port.close();
      return;
    }
  }
}

port.on('message', (request: ThreadRequest) => {
  const waits = request.op === 'query' || request.op === 'exec' || request.op === 'begin';
  if (waits) waitingSince.set(request.id, performance.now());
  handle(request)
    .catch((error: unknown) => reply({ id: request.id, error: plainError(error) }))
    .finally(() => {
      if (waits) waitingSince.delete(request.id);
    });
});
reply({ id: 0, rows: [] });
