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
import { ENTITY_STATEMENT_EVENT, entityStatementPayload, sessionEventPayload, type EntityStatementOutcome, type SessionEventName } from './webhook-payloads.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { entitiesRepository } from '../store/repositories/entities-repository.ts';

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
  // An entity's lender integrated the entity flow, whose webhook carries only the per-statement
  // payload (recordEntityStatementEvents): the session flow's events would be shapes it never
  // parses. Whatever claims the event (a completion, say) still marks it claimed.
  if ((await entitiesRepository(tx).linkIdOf(session.sessionId)) !== null) return;
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

/**
 * The entity flow's webhook (§4.6), after the processing job settled an entity's statements:
 * one event per statement whose outcome (progress and reason) differs from the last one
 * announced for it. A statement is therefore announced once when first processed, and again
 * only if a later processing changes its outcome (a later statement of its account that does
 * not reconcile fails the whole account); re-processing that changes nothing sends nothing.
 * Returns how many events were recorded.
 */
export async function recordEntityStatementEvents(
  tx: Queryable,
  ctx: OutboxContext,
  session: Session,
  linkId: string,
  outcomes: Omit<EntityStatementOutcome, 'entityId' | 'linkId'>[],
): Promise<number> {
  const announced = new Map<string, string>();
  for (const { body } of await webhooksRepository(tx).bodiesOf([session.sessionId], ENTITY_STATEMENT_EVENT)) {
    const last = JSON.parse(body) as { statement_id: string; progress: string; reason: string };
    // Newest first: the first body of a statement is its last announcement.
    if (!announced.has(last.statement_id)) announced.set(last.statement_id, `${last.progress}\n${last.reason}`);
  }
  let recorded = 0;
  for (const outcome of outcomes) {
    if (announced.get(outcome.statementId) === `${outcome.progress}\n${outcome.reason}`) continue;
    const event = { eventId: randomUUID(), createdAt: ctx.now() };
    const payload = entityStatementPayload({ ...outcome, entityId: session.sessionId, linkId }, event);
    await webhooksRepository(tx).insert({
      eventId: event.eventId,
      clientId: session.clientId,
      sessionId: session.sessionId,
      eventName: ENTITY_STATEMENT_EVENT,
      body: JSON.stringify(payload),
      createdAt: event.createdAt,
    });
    recorded++;
  }
  return recorded;
}
