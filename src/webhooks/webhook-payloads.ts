/**
 * The BankConnect webhook payloads (reference §4.4 and §4.5), plus Passbook's `event_id` and
 * `created_at`. They reuse the data APIs' account shapes, so a webhook says what
 * session_upload_status and session_status would have said at that moment; account numbers
 * are masked, since a webhook travels to a URL rather than being fetched with credentials.
 */
import type { BankCatalogue } from '../banks/bank-catalogue.ts';
import type { AccountSummary } from '../domain/account.ts';
import type { Session } from '../domain/session.ts';
import { maskAccountNumber } from '../wire/statement-wire.ts';
import { renderUploadAccount } from '../wire/session-wire.ts';
import { formatDayMonthYear } from '../lib/calendar-date.ts';

export const SESSION_EVENTS = [
  'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION',
  'SESSION_EXPIRY_NOTIFICATION',
  'ENRICHMENT_NOTIFICATION',
] as const;
export type SessionEventName = (typeof SESSION_EVENTS)[number];

/**
 * The entity flow's one event (reference §4.6): a statement of an entity was processed. Its
 * payload carries no event name, so this name exists only in the outbox and the delivery log.
 */
export const ENTITY_STATEMENT_EVENT = 'ENTITY_STATEMENT_NOTIFICATION';

/** Sent by send_test_webhook only; never stored. */
export const TEST_EVENT = 'TEST_NOTIFICATION';

const MESSAGES: Record<Exclude<SessionEventName, 'ENRICHMENT_NOTIFICATION'>, string> = {
  SESSION_REQUIREMENT_COMPLETION_NOTIFICATION: 'Upload Completed',
  SESSION_EXPIRY_NOTIFICATION: 'Session expired',
};

export interface EventStamp {
  eventId: string;
  createdAt: Date;
}

function stamp(e: EventStamp): { event_id: string; created_at: string } {
  return { event_id: e.eventId, created_at: e.createdAt.toISOString() };
}

export function sessionEventPayload(
  name: SessionEventName,
  session: Session,
  accounts: AccountSummary[],
  banks: BankCatalogue,
  event: EventStamp,
): Record<string, unknown> {
  if (name === 'ENRICHMENT_NOTIFICATION') {
    return {
      session_id: session.sessionId,
      // Processing finished, so insights answer; failed accounts say why beside their data.
      insights_available: accounts.length > 0,
      accounts: accounts.map((a) => ({
        name: a.identity.name ?? '',
        account_category: a.identity.accountCategory ?? '',
        account_id: a.accountId,
        bank_name: a.bankName,
        // The reference's enrichment webhook uses "" where session_status has null.
        error_code: a.errorCode ?? '',
        error_message: a.errorMessage ?? '',
        account_status: a.processingStatus ?? 'failed',
        attempt_types: ['PDF'],
      })),
      event_name: name,
      ...stamp(event),
    };
  }
  return {
    session_id: session.sessionId,
    event_name: name,
    message: MESSAGES[name],
    accounts: accounts.map((a) => ({ ...renderUploadAccount(banks, a), account_number: maskAccountNumber(a.accountNumber) })),
    session_date_range: { from_date: formatDayMonthYear(session.fromDate), to_date: formatDayMonthYear(session.toDate) },
    ...stamp(event),
  };
}

export interface EntityStatementOutcome {
  entityId: string;
  linkId: string;
  statementId: string;
  progress: 'completed' | 'failed';
  /** Why processing failed; '' when it completed, as the reference's example writes it. */
  reason: string;
}

/** `{entity_id, statement_id, link_id, progress, reason}` (§4.6), plus Passbook's event_id and created_at. */
export function entityStatementPayload(o: EntityStatementOutcome, event: EventStamp): Record<string, unknown> {
  return { entity_id: o.entityId, statement_id: o.statementId, link_id: o.linkId, progress: o.progress, reason: o.reason, ...stamp(event) };
}

export function testEventPayload(event: EventStamp): Record<string, unknown> {
  return { event_name: TEST_EVENT, message: 'Test webhook from Passbook', ...stamp(event) };
}
