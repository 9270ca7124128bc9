/**
 * Signing in to the console with email and password, and recognising a signed-in browser.
 *
 * A sign-in is a random token in an HttpOnly cookie, stored only as its SHA-256 hash. Its CSRF
 * token, which the page sends back in a header on every change, is an HMAC of the cookie's token:
 * the same for every tab of the browser, unknowable without the cookie (which no script can
 * read), and nothing to store. Five
 * failed sign-ins in a row for an address, whether or not it has an account, lock that address
 * for 15 minutes; an unknown address costs a scrypt like a known one, so neither the answer nor
 * its timing tells which addresses have accounts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Client } from '../domain/client.ts';
import { normalizeEmail, type ConsoleUser } from '../domain/console-user.ts';
import { AppError } from '../errors/codes.ts';
import { decoyHash, verifyPassword, type PasswordCost } from '../lib/password-hash.ts';
import { hashSecret } from '../lib/secrets.ts';
import { consoleRepository } from '../store/repositories/console-repository.ts';
import { recordAudit } from './console-users.ts';
import type { Deps } from './deps.ts';
import { getClient } from './manage-clients.ts';

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60_000;

type SignInDeps = Pick<Deps, 'db' | 'now' | 'consoleSettings'>;

export interface SignedIn {
  user: ConsoleUser;
  client: Client;
  /** The CSRF token, for the page (a reloaded page gets it again through `me`). */
  csrfToken: string;
}

function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update('passbook console csrf').digest('base64url');
}

const decoys = new Map<string, Promise<string>>();
function decoyFor(cost: PasswordCost): Promise<string> {
  const key = `${cost.log2N}/${cost.r}/${cost.p}`;
  if (!decoys.has(key)) decoys.set(key, decoyHash(cost));
  return decoys.get(key)!;
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function signIn(deps: SignInDeps, email: string, password: string): Promise<SignedIn & { token: string; expiresAt: Date }> {
  const address = normalizeEmail(email);
  const repo = consoleRepository(deps.db);
  const now = deps.now();
  const lockedUntil = await repo.lockedUntil(address, now);
  if (lockedUntil) {
    const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
    throw new AppError('TOO_MANY_SIGN_IN_ATTEMPTS', `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
  const found = await repo.userWithPassword(address);
  const matches = await verifyPassword(password, found?.passwordHash ?? (await decoyFor(deps.consoleSettings.passwordCost)));
  if (!found || !matches || found.user.disabledAt !== null) {
    await repo.recordFailure(address, MAX_FAILED_SIGN_INS, new Date(now.getTime() + LOCKOUT_MS));
    if (found) await recordAudit(deps, found.user.clientId, { kind: 'user', user: found.user }, 'sign_in.failed', found.user.userId);
    throw new AppError('CONSOLE_SIGN_IN_FAILED');
  }
  const token = newToken();
  const expiresAt = new Date(now.getTime() + deps.consoleSettings.signInMs);
  await repo.clearFailures(address);
  await repo.deleteExpiredSignIns(now);
  await repo.insertSignIn({ tokenHash: hashSecret(token), userId: found.user.userId, createdAt: now, expiresAt });
  await recordAudit(deps, found.user.clientId, { kind: 'user', user: found.user }, 'sign_in', found.user.userId);
  return { user: found.user, client: await getClient(deps, found.user.clientId), token, csrfToken: csrfTokenOf(token), expiresAt };
}

export interface ConsoleSignIn extends SignedIn {
  tokenHash: string;
}

/** The signed-in user of a cookie token; CONSOLE_SIGN_IN_REQUIRED when there is none (missing, unknown, expired, disabled). */
export async function authenticateConsole(deps: Pick<Deps, 'db' | 'now'>, token: string | undefined): Promise<ConsoleSignIn> {
  if (!token) throw new AppError('CONSOLE_SIGN_IN_REQUIRED');
  const tokenHash = hashSecret(token);
  const found = await consoleRepository(deps.db).signedIn(tokenHash, deps.now());
  if (!found || found.user.disabledAt !== null) throw new AppError('CONSOLE_SIGN_IN_REQUIRED');
  return { user: found.user, client: await getClient(deps, found.user.clientId), tokenHash, csrfToken: csrfTokenOf(token) };
}

export function csrfTokenMatches(signIn: ConsoleSignIn, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(signIn.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function signOut(deps: Pick<Deps, 'db'>, signIn: ConsoleSignIn): Promise<void> {
  await consoleRepository(deps.db).deleteSignIn(signIn.tokenHash);
}

export async function signOutEverywhere(deps: Pick<Deps, 'db' | 'now'>, signIn: ConsoleSignIn): Promise<number> {
  const ended = await consoleRepository(deps.db).deleteSignInsOf(signIn.user.userId);
  await recordAudit(deps, signIn.user.clientId, { kind: 'user', user: signIn.user }, 'sign_out_everywhere', signIn.user.userId, { sign_ins_ended: ended });
  return ended;
}
