/** Credentials: generated with a CSPRNG, shown once, stored only as SHA-256 hashes. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newApiKey(): string {
  return `pbk_${randomBytes(24).toString('base64url')}`;
}

export function newServerHash(): string {
  return `pbs_${randomBytes(24).toString('base64url')}`;
}

/** Keys are 192-bit random values, so a plain SHA-256 is enough (no slow KDF needed). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
