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
