/**
 * Download links for uploaded PDFs: this server signs them (HMAC over statement id and
 * expiry, with a key every process shares through the settings table) and serves them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/codes.ts';
import type { Queryable } from '../ports/db.ts';
import { settingsRepository } from '../store/repositories/settings-repository.ts';

/** Links work for this long after they are handed out. */
export const LINK_LIFETIME_SECONDS = 3600;

export function linkSigningKey(db: Queryable): Promise<string> {
  return settingsRepository(db).downloadLinkKey();
}

function signature(key: string, statementId: string, expires: number): string {
  return createHmac('sha256', key).update(`${statementId}.${expires}`).digest('hex');
}

export function signedPdfUrl(publicUrl: string, key: string, statementId: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + LINK_LIFETIME_SECONDS;
  return `${publicUrl}/bank-connect/v1/files/statements/${statementId}.pdf?expires=${expires}&signature=${signature(key, statementId, expires)}`;
}

/** Throws ACCESS_DENIED unless the link is genuine and not yet expired. */
export function checkPdfLink(key: string, statementId: string, expires: string | undefined, given: string | undefined, now: Date): void {
  const e = Number(expires);
  const ok =
    Number.isSafeInteger(e) &&
    e * 1000 > now.getTime() &&
    typeof given === 'string' &&
    /^[0-9a-f]{64}$/.test(given) &&
    timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(signature(key, statementId, e), 'hex'));
  if (!ok) throw new AppError('ACCESS_DENIED', 'This download link is invalid or has expired.');
}
