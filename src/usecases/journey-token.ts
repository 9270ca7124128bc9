/**
 * The signed `token` of a Session API v2 journey link (bankconnect-api.md §2.2):
 * `<PUBLIC_URL>/?session_id=<id>&token=<token>`. The journey opens a v2 session only with it,
 * so a session id alone (seen in a log, a webhook, a support ticket) does not open the journey.
 * v1 links never had a token and keep working without one.
 *
 * token = base64url(HMAC-SHA256(key, "passbook.journey-token.v1\0" + session_id)), keyed with the
 * server's link-signing key (statement-files.ts), which every process shares through the
 * settings table. The prefix keeps these MACs apart from the download links' under that key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Session } from '../domain/session.ts';
import type { Queryable } from '../ports/db.ts';
import { linkSigningKey } from './statement-files.ts';

const TOKEN_DOMAIN = 'passbook.journey-token.v1\u0000';

function tokenWith(key: string, sessionId: string): string {
  return createHmac('sha256', key).update(TOKEN_DOMAIN + sessionId).digest('base64url');
}

export async function journeyToken(db: Queryable, sessionId: string): Promise<string> {
  return tokenWith(await linkSigningKey(db), sessionId);
}

/** The journey link BankConnect hands out for this session: v2 sessions' carry the token. */
export function journeyUrl(publicUrl: string, sessionId: string, token?: string): string {
  return `${publicUrl}/?session_id=${sessionId}${token === undefined ? '' : `&token=${token}`}`;
}

export async function sessionJourneyUrl(db: Queryable, publicUrl: string, session: Pick<Session, 'sessionId' | 'apiVersion'>): Promise<string> {
  return journeyUrl(publicUrl, session.sessionId, session.apiVersion === 2 ? await journeyToken(db, session.sessionId) : undefined);
}

/** Whether `token` opens this session's journey: any request does for a v1 session. */
export async function journeyTokenValid(db: Queryable, session: Pick<Session, 'sessionId' | 'apiVersion'>, token: string | undefined): Promise<boolean> {
  if (session.apiVersion !== 2) return true;
  if (token === undefined) return false;
  const expected = Buffer.from(await journeyToken(db, session.sessionId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
