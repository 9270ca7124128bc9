/**
 * What the Account Aggregator use cases are given (built by the composition root from config:
 * a real AA, or the built-in sandbox). `client` speaks ReBIT to the AA; everything it returns
 * has been verified (signature, ver, timestamp, txnid, ids), and an answer that failed those
 * checks arrives as an `AaResponseRejected` error, never as data.
 */
import type { AaClient } from '../aa/aa-client.ts';
import type { NotificationContext } from '../aa/aa-notifications.ts';
import type { AaSigningKey } from '../aa/aa-signature.ts';
import { AppError } from '../errors/codes.ts';

export interface AaDeps {
  client: Pick<AaClient, 'createConsent' | 'consentStatus' | 'fetchConsent' | 'requestFi' | 'fetchFi'>;
  /** Passbook's FIU id and the AA's handle suffix (customers are `<mobile>@<handle>`). */
  fiuId: string;
  handle: string;
  /** Where the user approves; null when the AA gives no web page (they approve in its app). */
  consentUrl(p: { consentHandle: string; redirectUrl: string; customerId: string }): string | null;
  /** For checking the AA's notifications. */
  notifications: Omit<NotificationContext, 'now'>;
  /** Signs Passbook's answers to the AA's notifications. */
  signingKey: AaSigningKey;
  /** Seals raw FI data and ephemeral private keys at rest. */
  dataKey: Buffer;
}

/** The AA failed a request (unreachable, refused, or an answer that failed its checks): AA_UNAVAILABLE, with the cause kept for the log. */
export function aaRequestFailed(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const failed = new AppError('AA_UNAVAILABLE');
  failed.cause = error;
  return failed;
}
