/** Console users, their sign-ins, failed sign-ins per address, and the audit log. */
import type { AuditEntry, ConsoleRole, ConsoleUser } from '../../domain/console-user.ts';
import type { Queryable } from '../../ports/db.ts';

interface UserRow extends Record<string, unknown> {
  user_id: string;
  client_id: string;
  email: string;
  name: string;
  role: string;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS = 'user_id, client_id, email, name, role, disabled_at, created_at, updated_at';

function toUser(row: UserRow): ConsoleUser {
  return {
    userId: row.user_id,
    clientId: row.client_id,
    email: row.email,
    name: row.name,
    role: row.role as ConsoleRole,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function consoleRepository(db: Queryable) {
  return {
    /** Null when the email is taken. */
    async insertUser(user: Omit<ConsoleUser, 'disabledAt' | 'updatedAt'>, passwordHash: string): Promise<ConsoleUser | null> {
      const rows = await db.query<UserRow>(
        `insert into console_users (user_id, client_id, email, name, role, password_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (email) do nothing returning ${USER_COLUMNS}`,
        [user.userId, user.clientId, user.email, user.name, user.role, passwordHash, user.createdAt],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    async usersOf(clientId: string): Promise<ConsoleUser[]> {
      const rows = await db.query<UserRow>(`select ${USER_COLUMNS} from console_users where client_id = $1 order by created_at, email`, [clientId]);
      return rows.map(toUser);
    },

    async user(userId: string): Promise<ConsoleUser | null> {
      const rows = await db.query<UserRow>(`select ${USER_COLUMNS} from console_users where user_id = $1`, [userId]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async userWithPassword(email: string): Promise<{ user: ConsoleUser; passwordHash: string } | null> {
      const rows = await db.query<UserRow & { password_hash: string }>(`select ${USER_COLUMNS}, password_hash from console_users where email = $1`, [email]);
      return rows[0] ? { user: toUser(rows[0]), passwordHash: rows[0].password_hash } : null;
    },

    async disableUser(userId: string, at: Date): Promise<ConsoleUser | null> {
      const rows = await db.query<UserRow>(
        `update console_users set disabled_at = coalesce(disabled_at, $2), updated_at = $2 where user_id = $1 returning ${USER_COLUMNS}`,
        [userId, at],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    async enableUser(userId: string, at: Date): Promise<ConsoleUser | null> {
      const rows = await db.query<UserRow>(`update console_users set disabled_at = null, updated_at = $2 where user_id = $1 returning ${USER_COLUMNS}`, [userId, at]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async insertSignIn(signIn: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
      await db.query('insert into console_sign_ins (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)', [
        signIn.tokenHash, signIn.userId, signIn.createdAt, signIn.expiresAt,
      ]);
    },

    /** The sign-in's user, if the sign-in exists and has not expired. */
    async signedIn(tokenHash: string, now: Date): Promise<{ user: ConsoleUser; expiresAt: Date } | null> {
      const rows = await db.query<UserRow & { expires_at: Date }>(
        `select ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}, s.expires_at
           from console_sign_ins s join console_users u using (user_id)
          where s.token_hash = $1 and s.expires_at > $2`,
        [tokenHash, now],
      );
      const row = rows[0];
      return row ? { user: toUser(row), expiresAt: row.expires_at } : null;
    },

    async deleteSignIn(tokenHash: string): Promise<void> {
      await db.query('delete from console_sign_ins where token_hash = $1', [tokenHash]);
    },

    /** Ends every sign-in of the user; returns how many there were. */
    async deleteSignInsOf(userId: string): Promise<number> {
      const rows = await db.query('delete from console_sign_ins where user_id = $1 returning token_hash', [userId]);
      return rows.length;
    },

    async deleteExpiredSignIns(now: Date): Promise<void> {
      await db.query('delete from console_sign_ins where expires_at <= $1', [now]);
    },

    async lockedUntil(email: string, now: Date): Promise<Date | null> {
      const rows = await db.query<{ locked_until: Date }>('select locked_until from console_sign_in_failures where email = $1 and locked_until > $2', [email, now]);
      return rows[0]?.locked_until ?? null;
    },

    /**
     * Counts a failed sign-in for the address; at `maxFailures` in a row the address is locked
     * until `lockUntil` and the count starts again.
     */
    async recordFailure(email: string, maxFailures: number, lockUntil: Date): Promise<void> {
      await db.query(
        `insert into console_sign_in_failures as f (email, failures, locked_until) values ($1, 1, null)
         on conflict (email) do update set
           failures = case when f.failures + 1 >= $2 then 0 else f.failures + 1 end,
           locked_until = case when f.failures + 1 >= $2 then $3 else f.locked_until end`,
        [email, maxFailures, lockUntil],
      );
    },

    async clearFailures(email: string): Promise<void> {
      await db.query('delete from console_sign_in_failures where email = $1', [email]);
    },

    async audit(entry: Omit<AuditEntry, 'seq'>): Promise<void> {
      await db.query('insert into console_audit_log (client_id, user_id, actor, action, target, details, at) values ($1, $2, $3, $4, $5, $6, $7)', [
        entry.clientId, entry.userId, entry.actor, entry.action, entry.target, JSON.stringify(entry.details), entry.at,
      ]);
    },

    /** Newest first; `before` pages back from a seq. */
    async auditLog(clientId: string, limit: number, before: bigint | null): Promise<AuditEntry[]> {
      const rows = await db.query<{ seq: bigint; client_id: string; user_id: string | null; actor: string; action: string; target: string | null; details: Record<string, unknown>; at: Date }>(
        `select seq, client_id, user_id, actor, action, target, details, at from console_audit_log
          where client_id = $1 and ($2::bigint is null or seq < $2) order by seq desc limit $3`,
        [clientId, before, limit],
      );
      return rows.map((r) => ({ seq: r.seq, clientId: r.client_id, userId: r.user_id, actor: r.actor, action: r.action, target: r.target, details: r.details, at: r.at }));
    },
  };
}
