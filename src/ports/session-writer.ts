import type { Session } from '../domain/session.ts';

/** Inserts new sessions; resolves once the session's row is committed (store/session-writer.ts batches them). */
export interface SessionWriter {
  write(session: Session): Promise<void>;
}
