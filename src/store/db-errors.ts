/** The database errors callers must tell apart, recognised here once for both stores (SQLSTATE codes). */

/** A unique index refused the row (23505). PostgreSQL (pg) and PGlite both report the SQLSTATE as `code`. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
