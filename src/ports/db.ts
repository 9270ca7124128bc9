/**
 * The storage port. Repositories speak SQL through this; the embedded adapter (PGlite) and the
 * scale adapter (PostgreSQL) both implement it, so there is one SQL dialect and one set of
 * migrations. Type mapping is the same on both: int8 → bigint, date → 'YYYY-MM-DD' string,
 * timestamptz → Date, jsonb → parsed value.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
