/**
 * Download links for uploaded PDFs and Excel reports: this server signs them (HMAC over what the
 * link gives, its subject, and its expiry, with a key every process shares through the settings
 * table) and serves them.
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

/** A PDF link's subject is the statement id; a report's says which report it is (reportSubject). */
function signature(key: string, subject: string, expires: number): string {
  return createHmac('sha256', key).update(`${subject}.${expires}`).digest('hex');
}

function signedUrl(publicUrl: string, key: string, path: string, subject: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + LINK_LIFETIME_SECONDS;
  return `${publicUrl}${path}?expires=${expires}&signature=${signature(key, subject, expires)}`;
}

export function signedPdfUrl(publicUrl: string, key: string, statementId: string, now: Date): string {
  return signedUrl(publicUrl, key, `/bank-connect/v1/files/statements/${statementId}.pdf`, statementId, now);
}

/** An AA data link's subject: the statement and the format it gives. */
export const aaDataSubject = (statementId: string, format: 'xml' | 'json') => `aa/${statementId}.${format}`;

export function signedAaDataUrl(publicUrl: string, key: string, statementId: string, format: 'xml' | 'json', now: Date): string {
  return signedUrl(publicUrl, key, `/bank-connect/v1/files/aa-data/${format}/${statementId}.${format}`, aaDataSubject(statementId, format), now);
}

/** What a report link gives: one account's workbook, or the session's (`accountId` null). */
export const reportSubject = (sessionId: string, accountId: string | null) => `report/${sessionId}/${accountId ?? 'session'}`;

/** BankConnect's file names: `account_report_<account_id>.xlsx`, `entity_report_<session_id>.xlsx`. */
export const reportFileName = (sessionId: string, accountId: string | null) => (accountId ? `account_report_${accountId}.xlsx` : `entity_report_${sessionId}.xlsx`);

export function signedReportUrl(publicUrl: string, key: string, sessionId: string, accountId: string | null, now: Date): string {
  return signedUrl(publicUrl, key, `/bank-connect/v1/files/reports/${sessionId}/${reportFileName(sessionId, accountId)}`, reportSubject(sessionId, accountId), now);
}

/** Throws ACCESS_DENIED unless the link is genuine and not yet expired. */
export function checkLink(key: string, subject: string, expires: string | undefined, given: string | undefined, now: Date): void {
  const e = Number(expires);
  const ok =
    Number.isSafeInteger(e) &&
    e * 1000 > now.getTime() &&
    typeof given === 'string' &&
    /^[0-9a-f]{64}$/.test(given) &&
    timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(signature(key, subject, e), 'hex'));
  if (!ok) throw new AppError('ACCESS_DENIED', 'This download link is invalid or has expired.');
}
