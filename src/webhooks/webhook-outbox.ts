/**
 * Writing webhook events. Each is written with the executor of the transaction that makes the
 * state change it reports, so an event exists if and only if its change committed: a crash
 * cannot lose one, nor announce a change that was rolled back. The payload is rendered now,
 * from what the transaction sees, so every retry and replay sends the same bytes.
 *
 * The transaction must already have updated (and so locked) the session's row: see
 * `webhooksRepository.insert`.
 */
import { randomUUID } from 'node:crypto';
import type { BankCatalogue } from '../banks/bank-catalogue.ts';
import type { AccountSummary } from '../domain/account.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import type { Session } from '../domain/session.ts';
import type { Queryable } from '../ports/db.ts';
import { webhooksRepository } from '../store/repositories/webhooks-repository.ts';
import { sessionEventPayload, type SessionEventName } from './webhook-payloads.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';

export interface OutboxContext {
  banks: BankCatalogue;
  now: () => Date;
}

export async function recordSessionEvent(
  tx: Queryable,
  ctx: OutboxContext,
  name: SessionEventName,
  session: Session,
  accounts?: AccountSummary[],
): Promise<void> {
  const event = { eventId: randomUUID(), createdAt: ctx.now() };
  const payload = sessionEventPayload(name, session, accounts ?? (await accountsRepository(tx).summaries(session)), ctx.banks, event);
  await webhooksRepository(tx).insert({
    eventId: event.eventId,
    clientId: session.clientId,
    sessionId: session.sessionId,
    eventName: name,
    body: JSON.stringify(payload),
    createdAt: event.createdAt,
  });
}

/**
 * SESSION_REQUIREMENT_COMPLETION_NOTIFICATION, at most once per session: the first of an
 * upload that meets the acceptance criteria, the user's submit in the journey, and
 * initiate_processing records it; the others find it done.
 */
export async function recordCompletionOnce(tx: Queryable, ctx: OutboxContext, session: Session, accounts?: AccountSummary[]): Promise<void> {
  if (await sessionsRepository(tx).claimCompletionNotification(session.sessionId, ctx.now())) await recordSessionEvent(tx, ctx, 'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION', session, accounts);
}
