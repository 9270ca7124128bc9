/** A session as the console lists and shows it. */
import type { AccountSummary } from './account.ts';
import type { Session } from './session.ts';

/**
 * What a person asks of a session ("has the borrower shared anything? is it processed?"),
 * derived from its columns (session-list-repository.ts), expiry applied.
 */
export const CONSOLE_STATUSES = ['created', 'in_progress', 'processing', 'completed', 'expired', 'deleted'] as const;
export type ConsoleSessionStatus = (typeof CONSOLE_STATUSES)[number];

export const SESSION_SORTS = ['created_at', '-created_at', 'link_id', '-link_id', 'expires_at', '-expires_at'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

export interface SessionListRow {
  sessionId: string;
  linkId: string;
  status: ConsoleSessionStatus;
  mode: string | null;
  journeyMode: string | null;
  bankName: string | null;
  /** Banks of the statements stored so far. */
  banks: string[];
  statementCount: number;
  fromDate: string;
  toDate: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface ConsoleSession {
  session: Session;
  status: ConsoleSessionStatus;
  accounts: AccountSummary[];
  journeyUrl: string;
}

/**
 * One thing that happened to a session, for the console's timeline. Each is read from the row
 * that records it (session_events only for what nothing else records: timeline.ts).
 */
export type TimelineEntry =
  | { kind: 'created'; at: Date }
  | { kind: 'journey_opened'; at: Date }
  | { kind: 'statement_stored'; at: Date; statementId: string; bankName: string; fileName: string | null; source: 'pdf' | 'aa'; pageCount: number | null; fraudFindings: number }
  | {
      kind: 'upload_refused';
      at: Date;
      code: string;
      message: string;
      channel: string;
      source: string | null;
      fileName: string | null;
      detectedBank: string | null;
    }
  | { kind: 'aa_consent_requested'; at: Date; fetchType: string; status: string }
  | { kind: 'user_submitted'; at: Date }
  | { kind: 'processing_requested'; at: Date }
  | { kind: 'processing_completed'; at: Date; accounts: { bankName: string; status: string | null; errorCode: string | null }[] }
  | { kind: 'webhook'; at: Date; eventId: string; eventName: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null }
  | { kind: 'expired'; at: Date }
  | { kind: 'deleted'; at: Date };
