/**
 * Embedded adapter: PGlite (PostgreSQL compiled to WASM), persisted under DATA_DIR.
 *
 * PGlite has exactly one session. Its own `query` and `transaction` share an internal lock, so
 * statements from other callers wait while a transaction is open instead of joining it; that is
 * why this adapter uses `transaction()` and never sends a bare BEGIN.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, Row } from '../ports/db.ts';
import { DATE_OID, INT8_OID } from './type-oids.ts';

const parsers = {
  [INT8_OID]: (value: string) => BigInt(value),
  [DATE_OID]: (value: string) => value,
};

export interface PgliteOptions {
  /** Directory to persist to; omit for an in-memory database. */
  dataDir?: string;
  /** A tarball from `dumpDataDir()` to start from (fast, already-migrated test databases). */
  loadDataDir?: Blob | File;
}

export async function openPglite(options: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  const pglite = await PGlite.create(options.dataDir ?? 'memory://', {
    parsers,
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R extends Row>(sql: string, params: unknown[] = []) {
      return (await q.query<R>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    pglite,
    ...wrap(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    // In this thread a statement runs synchronously anyway: nothing to gain from a lane of its own.
    ping: async () => {
      await pglite.query('select 1');
    },
    // Closing twice is harmless (shutdown paths and tests may both close).
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}
