/**
 * Console users of a client: created by the operator (admin API, `passbook users`) or by one of
 * the client's admins in the console, listed, disabled. Every change is written to the client's
 * audit log with who made it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { actorName, normalizeEmail, type Actor, type AuditEntry, type ConsoleRole, type ConsoleUser } from '../domain/console-user.ts';
import { AppError } from '../errors/codes.ts';
import { isUuid } from '../lib/ids.ts';
import { hashPassword } from '../lib/password-hash.ts';
import { consoleRepository } from '../store/repositories/console-repository.ts';
import type { Deps } from './deps.ts';
import { getClient } from './manage-clients.ts';

type UsersDeps = Pick<Deps, 'db' | 'now' | 'consoleSettings'>;

export interface NewConsoleUser {
  clientId: string;
  email: string;
  name: string;
  role: ConsoleRole;
  /** Null: one is generated, and returned once. */
  password: string | null;
}

/** A generated first password: 128 random bits, typed once and then changed or kept in a manager. */
function generatedPassword(): string {
  return randomBytes(16).toString('base64url');
}

export async function recordAudit(deps: Pick<Deps, 'db' | 'now'>, clientId: string, actor: Actor, action: string, target: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await consoleRepository(deps.db).audit({
    clientId,
    userId: actor.kind === 'user' ? actor.user.userId : null,
    actor: actorName(actor),
    action,
    target,
    details,
    at: deps.now(),
  });
}

export async function createConsoleUser(deps: UsersDeps, input: NewConsoleUser, actor: Actor): Promise<{ user: ConsoleUser; password: string | null }> {
  await getClient(deps, input.clientId);
  const password = input.password ?? generatedPassword();
  const passwordHash = await hashPassword(password, deps.consoleSettings.passwordCost);
  const user = await consoleRepository(deps.db).insertUser(
    { userId: randomUUID(), clientId: input.clientId, email: normalizeEmail(input.email), name: input.name.trim(), role: input.role, createdAt: deps.now() },
    passwordHash,
  );
  if (!user) throw new AppError('EMAIL_TAKEN');
  await recordAudit(deps, user.clientId, actor, 'user.create', user.userId, { email: user.email, role: user.role });
  return { user, password: input.password === null ? password : null };
}

export async function listConsoleUsers(deps: Pick<Deps, 'db'>, clientId: string): Promise<ConsoleUser[]> {
  await getClient(deps, clientId);
  return consoleRepository(deps.db).usersOf(clientId);
}

/**
 * Disables the user and ends every sign-in of theirs. `clientId` (from a signed-in admin)
 * confines it to that client's users: another client's user is not found, as if it did not exist.
 */
export async function disableConsoleUser(deps: Pick<Deps, 'db' | 'now'>, userId: string, actor: Actor, clientId: string | null): Promise<ConsoleUser> {
  await findConsoleUser(deps, userId, clientId);
  const user = await deps.db.transaction(async (tx) => {
    const disabled = (await consoleRepository(tx).disableUser(userId, deps.now()))!;
    await consoleRepository(tx).deleteSignInsOf(userId);
    return disabled;
  });
  await recordAudit(deps, user.clientId, actor, 'user.disable', user.userId, { email: user.email });
  return user;
}

/** Lets a disabled user sign in again, with the password they had; confined to `clientId` as `disableConsoleUser` is. */
export async function enableConsoleUser(deps: Pick<Deps, 'db' | 'now'>, userId: string, actor: Actor, clientId: string | null): Promise<ConsoleUser> {
  await findConsoleUser(deps, userId, clientId);
  const user = (await consoleRepository(deps.db).enableUser(userId, deps.now()))!;
  await recordAudit(deps, user.clientId, actor, 'user.enable', user.userId, { email: user.email });
  return user;
}

async function findConsoleUser(deps: Pick<Deps, 'db'>, userId: string, clientId: string | null): Promise<ConsoleUser> {
  const existing = isUuid(userId) ? await consoleRepository(deps.db).user(userId) : null;
  if (!existing || (clientId !== null && existing.clientId !== clientId)) throw new AppError('CONSOLE_USER_NOT_FOUND');
  return existing;
}

export async function readAuditLog(deps: Pick<Deps, 'db'>, clientId: string, limit: number, before: bigint | null): Promise<AuditEntry[]> {
  return consoleRepository(deps.db).auditLog(clientId, limit, before);
}
