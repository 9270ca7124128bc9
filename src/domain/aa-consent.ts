/**
 * Account Aggregator consents and FI requests as Passbook keeps them (docs/aa.md, "States").
 * Statuses are ReBIT's words, so they can be compared with what an AA sends without mapping.
 */
import type { CalendarDate } from '../lib/calendar-date.ts';

/** PENDING until the user acts; FAILED when the AA's answers about it could not be trusted. */
export const AA_CONSENT_STATUSES = ['PENDING', 'ACTIVE', 'REJECTED', 'PAUSED', 'REVOKED', 'EXPIRED', 'FAILED'] as const;
export type AaConsentStatus = (typeof AA_CONSENT_STATUSES)[number];

/**
 * REQUESTED: asked of the AA, data not ready; DELIVERED: every account's data stored; PARTIAL:
 * some accounts' data stored, the others denied or timed out; DENIED, TIMEOUT, EXPIRED, FAILED:
 * nothing stored.
 */
export const AA_FI_STATUSES = ['REQUESTED', 'DELIVERED', 'PARTIAL', 'DENIED', 'TIMEOUT', 'EXPIRED', 'FAILED'] as const;
export type AaFiStatus = (typeof AA_FI_STATUSES)[number];

/** An account the user chose at the AA, as the signed consent lists it. */
export interface AaConsentAccount {
  fipId: string;
  linkRefNumber: string;
  maskedAccNumber: string;
  fiType: string;
  accType: string | null;
}

export interface AaConsent {
  consentRequestId: string;
  sessionId: string;
  fetchType: 'ONETIME' | 'PERIODIC';
  consentHandle: string;
  consentId: string | null;
  status: AaConsentStatus;
  fromDate: CalendarDate;
  toDate: CalendarDate;
  consentExpiry: Date;
  frequency: { unit: 'HOUR' | 'DAY' | 'MONTH' | 'YEAR'; value: number } | null;
  accounts: AaConsentAccount[] | null;
  digitalSignature: string | null;
  errorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One account's data in an FI request, as notified or as found at fetch. */
export interface AaFiAccountStatus {
  fipId: string;
  linkRefNumber: string;
  maskedAccNumber: string | null;
  /** READY, DENIED, PENDING, DELIVERED, TIMEOUT (ReBIT), or STORED once Passbook has stored it. */
  fiStatus: string;
  statementId: string | null;
  /** Why this account's data was not stored (a Passbook code), null when it was. */
  errorCode: string | null;
}

export interface AaFiRequest {
  fiRequestId: string;
  consentRequestId: string;
  sessionId: string;
  aaSessionId: string | null;
  status: AaFiStatus;
  fromDate: CalendarDate;
  toDate: CalendarDate;
  accounts: AaFiAccountStatus[];
  errorCode: string | null;
  createdAt: Date;
}
