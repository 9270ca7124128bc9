/** Server-wide settings kept in the store, created on first use. */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../ports/db.ts';

export function settingsRepository(db: Queryable) {
  return {
    /** The key that signs PDF download links: made once, shared by every process on the store. */
    async downloadLinkKey(): Promise<string> {
      await db.query("insert into settings (key, value) values ('download_link_key', $1) on conflict (key) do nothing", [randomBytes(32).toString('hex')]);
      const rows = await db.query<{ value: string }>("select value from settings where key = 'download_link_key'");
      return rows[0]!.value;
    },
  };
}
