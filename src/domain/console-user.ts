/** A person of a client (lender) who signs in to the console. */
export const CONSOLE_ROLES = ['admin', 'analyst'] as const;
/** `admin`: settings, keys, users and everything an analyst may. `analyst`: read, download, replay. */
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export interface ConsoleUser {
  userId: string;
  clientId: string;
  /** Lower-cased and trimmed. */
  email: string;
  name: string;
  role: ConsoleRole;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One account per address, whatever its spelling. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Who made a change written to the audit log. */
export type Actor = { kind: 'user'; user: ConsoleUser } | { kind: 'admin-api' } | { kind: 'cli' } | { kind: 'demo' };

export function actorName(actor: Actor): string {
  return actor.kind === 'user' ? actor.user.email : actor.kind;
}

export interface AuditEntry {
  seq: bigint;
  clientId: string;
  userId: string | null;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  at: Date;
}
