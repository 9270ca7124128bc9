/** A session: one journey in which one of a lender's users shares statements. */
import type { CalendarDate } from '../lib/calendar-date.ts';
import type { Mode } from './client.ts';

export const JOURNEY_MODES = ['multi_pdf', 'multi_banking'] as const;
export type JourneyMode = (typeof JOURNEY_MODES)[number];

export const AA_JOURNEY_MODES = ['only_once', 'only_recurring', 'once_with_recurring'] as const;
export type AaJourneyMode = (typeof AA_JOURNEY_MODES)[number];

export const AA_FREQUENCY_UNITS = ['hour', 'day', 'month', 'year'] as const;
export type AaFrequencyUnit = (typeof AA_FREQUENCY_UNITS)[number];

export const METADATA_LISTS = ['names', 'employer_names', 'companies_for_self_transfer'] as const;
export type SessionMetadata = Partial<Record<(typeof METADATA_LISTS)[number], string[]>>;

/**
 * Session API v2's AA model (bankconnect-api.md §2.2, §7): a journey code names the consents
 * the journey takes, each from a consent template. Passbook raises one ReBIT consent per
 * session (aa-consent.ts consentTerms), so each code maps onto one of the v1 journey modes.
 */
export const AA_CONSENT_TEMPLATES = {
  CT001: 'one_time',
  CT003: 'periodic',
  CT035: 'collections',
} as const;
export type AaConsentTemplate = keyof typeof AA_CONSENT_TEMPLATES;

export const AA_JOURNEY_CODES = {
  BCAA001: { journeyMode: 'only_once', consents: { CC0001: 'CT001' } },
  BCAA002: { journeyMode: 'only_recurring', consents: { CC0002: 'CT003' } },
  BCAA003: { journeyMode: 'once_with_recurring', consents: { CC0003: 'CT001', CC0004: 'CT003' } },
  // The collections consent (CT035) is stored and shown, never raised: Passbook fetches no collections data.
  BCAA004: { journeyMode: 'once_with_recurring', consents: { CC0005: 'CT001', CC0006: 'CT003', CC0007: 'CT035' } },
} as const satisfies Record<string, { journeyMode: AaJourneyMode; consents: Record<string, AaConsentTemplate> }>;
export type AaJourneyCode = keyof typeof AA_JOURNEY_CODES;
export const AA_JOURNEY_CODE_NAMES = Object.keys(AA_JOURNEY_CODES) as AaJourneyCode[];

/** One consent of a v2 journey, as it will be asked for (the request's dates over the defaults). */
export interface AaConsentWindow {
  template: AaConsentTemplate;
  fromDate: CalendarDate;
  toDate: CalendarDate;
  /** The consent lasts to the end of this day (TIME_ZONE). */
  consentExpiry: CalendarDate;
}

export interface AaSettings {
  journeyMode: AaJourneyMode;
  recurringTenureMonth: number | null;
  recurringFrequencyUnit: AaFrequencyUnit | null;
  recurringFrequencyValue: number | null;
  /** Sessions created through Session API v2 only (absent in v1 sessions' stored jsonb). */
  journeyCode?: AaJourneyCode;
  /** Keyed by consent code (CC0001…), in the journey code's order; v2 sessions only. */
  consents?: Record<string, AaConsentWindow>;
}

/** The consent of a v2 journey whose template is `template`, if it has one. */
export function consentOfTemplate(aa: AaSettings | null, template: AaConsentTemplate): AaConsentWindow | undefined {
  return aa?.consents ? Object.values(aa.consents).find((c) => c.template === template) : undefined;
}

export type SessionStatus = 'created' | 'expired';

/** The Session API version that created a session; a v2 session's journey needs its signed token. */
export type SessionApiVersion = 1 | 2;

export interface Session {
  sessionId: string;
  apiVersion: SessionApiVersion;
  clientId: string;
  linkId: string;
  status: SessionStatus;
  fromDate: CalendarDate;
  toDate: CalendarDate;
  /** `YYYY-MM` of every month the journey must cover. */
  months: string[];
  maxFromDate: CalendarDate | null;
  maxToDate: CalendarDate | null;
  bankName: string | null;
  mode: Mode | null;
  journeyMode: JourneyMode | null;
  redirectUrl: string | null;
  logoUrl: string | null;
  mobileNumber: string | null;
  isMobileFieldEditable: boolean;
  acceptAnything: boolean;
  aa: AaSettings | null;
  metadata: SessionMetadata | null;
  createdAt: Date;
  expiresAt: Date;
  /** Set by initiate_processing; the session takes no more uploads afterwards. */
  processingRequestedAt: Date | null;
  processingCompletedAt: Date | null;
  deletedAt: Date | null;
  /** When the end user submitted the hosted journey. */
  userCompletedAt: Date | null;
}

/**
 * The range an AA session's first fetch asks for: a v2 session's one-time consent (its request
 * may have moved the dates), else the session's own range.
 */
export function aaFetchRange(session: Session): { from: CalendarDate; to: CalendarDate } {
  const once = consentOfTemplate(session.aa, 'CT001');
  return once ? { from: once.fromDate, to: once.toDate } : { from: session.fromDate, to: session.toDate };
}

/** The stored status, with expiry applied as of `now`. */
export function statusAt(session: Session, now: Date): SessionStatus {
  return session.status === 'created' && session.expiresAt.getTime() <= now.getTime() ? 'expired' : session.status;
}
