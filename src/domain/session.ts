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

export interface AaSettings {
  journeyMode: AaJourneyMode;
  recurringTenureMonth: number | null;
  recurringFrequencyUnit: AaFrequencyUnit | null;
  recurringFrequencyValue: number | null;
}

export type SessionStatus = 'created' | 'expired';

export interface Session {
  sessionId: string;
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

/** The stored status, with expiry applied as of `now`. */
export function statusAt(session: Session, now: Date): SessionStatus {
  return session.status === 'created' && session.expiresAt.getTime() <= now.getTime() ? 'expired' : session.status;
}
