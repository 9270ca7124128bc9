/** Picks the store from config: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from '../ports/db.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { migrate } from './migrate.ts';
import { openPgliteThread } from './pglite-thread-db.ts';
import { openPostgres } from './postgres-db.ts';

export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  if (config.databaseUrl) {
    const db = await openPostgres({ connectionString: config.databaseUrl });
    await migrate(db);
    return db;
  }
  const lock = lockDataDir(config.dataDir);
  try {
    // On its own thread: PGlite's synchronous work would otherwise stall every request in flight.
    const db = await openPgliteThread({ dataDir: path.join(config.dataDir, 'pg') });
    await migrate(db);
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
