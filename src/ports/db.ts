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
  /**
   * Resolves when the store can serve; rejects when it cannot. Health checks call it, so it
   * does not queue behind the application's statements: a store that is busy working through a
   * burst is alive, and a load balancer told otherwise would take a healthy server out of
   * service exactly when it is needed (issue 13, item 9).
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
