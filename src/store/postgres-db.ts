/**
 * Scale adapter: a PostgreSQL server through a `pg` pool. Several API processes can share one
 * database; nothing that matters is kept only in a process.
 */
import pg from 'pg';
import type { Db, Queryable, Row } from '../ports/db.ts';
import { DATE_OID, INT8_OID } from './type-oids.ts';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => BigInt(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export interface PostgresOptions {
  connectionString: string;
  /** Puts every connection on this schema (each test file uses a schema of its own). */
  schema?: string;
  maxConnections?: number;
  /** Idle connections do not keep the process running (a test file's store, shared by its tests). */
  allowExitOnIdle?: boolean;
}

export async function openPostgres(options: PostgresOptions): Promise<Db & { pool: pg.Pool }> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    ...(options.allowExitOnIdle ? { allowExitOnIdle: true } : {}),
  });
  // A dropped connection must not take the process down; the pool replaces it.
  pool.on('error', () => {});
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R extends Row>(sql: string, params: unknown[] = []) {
      return (await q.query<R>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  const top = wrap(pool);
  await top.query('select 1');
  // The health check's own connection, so that it does not wait for one of `pool`'s, all of
  // which a burst of requests may hold; made at the first check.
  let healthPool: pg.Pool | null = null;
  return {
    kind: 'postgres',
    pool,
    ...top,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      if (pool.ended) throw new Error('the store is closed');
      if (!healthPool) {
        healthPool = new pg.Pool({
          connectionString: options.connectionString,
          max: 1,
          types,
          allowExitOnIdle: true,
          ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
        });
        healthPool.on('error', () => {});
      }
      await healthPool.query('select 1');
    },
    close: async () => {
      if (!pool.ended) await pool.end();
      if (healthPool && !healthPool.ended) await healthPool.end();
    },
  };
}
