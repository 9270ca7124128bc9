/**
 * A transaction's `hash`: 32 hex digits derived from its statement and its place in that
 * statement's rows, so the same row has the same hash in every list of every read, and a
 * re-analysis (a new enrichment version) keeps it.
 */
import { createHash } from 'node:crypto';

export function transactionHash(statementId: string, seq: number): string {
  return createHash('sha256').update(`${statementId}:${seq}`).digest('hex').slice(0, 32);
}
