import type { Db } from '../ports/db.ts';
import type { SessionWriter } from '../ports/session-writer.ts';
import { GroupCommit } from './group-commit.ts';
import { sessionsRepository } from './repositories/sessions-repository.ts';


/**
 * New sessions go through group commit. PGlite has one session, so one flush at a time; a
 * PostgreSQL pool can take a few at once.
 */
export function createSessionWriter(db: Db): SessionWriter {
  return new GroupCommit((rows) => sessionsRepository(db).insertMany(rows), {
    maxBatch: 100,
    maxInFlight: db.kind === 'pglite' ? 1 : 4,
  });
}
