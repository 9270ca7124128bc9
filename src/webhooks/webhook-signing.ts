/**
 * How a webhook proves it came from this server. The receiver recomputes
 * HMAC-SHA256(secret, `${timestamp}.${body}`) over the raw body and compares it with one of
 * the `v1=` values in `x-passbook-signature`; the timestamp is signed so that an old request
 * replayed later fails the receiver's freshness check (five minutes is the advice).
 *
 * After a rotation the previous secret keeps signing for a grace period, so a request carries
 * one `v1=` value per live secret and a receiver still holding the old secret keeps working.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const EVENT_ID_HEADER = 'x-passbook-event-id';
export const TIMESTAMP_HEADER = 'x-passbook-timestamp';
export const SIGNATURE_HEADER = 'x-passbook-signature';

/** `whsec_` and 32 random bytes: the prefix makes a leaked secret recognisable to scanners. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The headers of one delivery attempt. `secrets` are the live ones, newest first. */
export function signedHeaders(eventId: string, body: string, secrets: string[], now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'Passbook-Webhooks/1',
    [EVENT_ID_HEADER]: eventId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: secrets.map((s) => `v1=${webhookSignature(s, timestamp, body)}`).join(','),
  };
}
