/**
 * The entity flow (BankConnect's older API, docs/compatibility.md): an entity is a session
 * inside, one user's accounts and statements, so every rule of uploading, processing and
 * reading is the session's own. What is entity-specific lives here:
 * - creating one: a session for a link_id with the defaults below, marked as an entity;
 * - finding one: by entity_id, or by link_id (link_id and entity are one to one while it lives);
 * - listing them, ten to a page;
 * - processing starts by itself after each upload (the session flow waits for
 *   initiate_processing), and the entity keeps taking statements afterwards;
 * - per-statement progress, and the replay of the entity flow's webhook payloads.
 */
import type { AccountSummary } from '../domain/account.ts';
import type { Client } from '../domain/client.ts';
import type { Session } from '../domain/session.ts';
import { AppError, fieldError } from '../errors/codes.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { entitiesRepository, type EntityRow } from '../store/repositories/entities-repository.ts';
import { jobsRepository } from '../store/repositories/jobs-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { webhooksRepository } from '../store/repositories/webhooks-repository.ts';
import { ENTITY_STATEMENT_EVENT } from '../webhooks/webhook-payloads.ts';
import { buildSession } from './create-session.ts';
import type { Deps } from './deps.ts';
import { PROCESS_SESSION_JOB } from './initiate-processing.ts';
import { storedInsights, type StoredInsights } from './read-session-data.ts';
import { uploadStatement, type UploadInput, type UploadResult } from './upload-statement.ts';

/**
 * BankConnect's entities never expire, and its entity upload has no requested period. An
 * entity is therefore a session that lasts ten years (a real date, so the expiry sweeper and
 * every reader keep working unchanged) and accepts any statement (accept_anything: no
 * OUT_OF_DATE_RANGE); its period is the session default (the six months to today), which only
 * decides the coverage figures of the session-flow views of it.
 */
export const ENTITY_LIFETIME_MS = 10 * 365 * 24 * 3600_000;
export const ENTITIES_PER_PAGE = 10;

type EntityDeps = Pick<Deps, 'db' | 'banks' | 'config' | 'now'>;

export interface Entity {
  entityId: string;
  linkId: string;
}

/** The client's entity for `linkId`, created (201) unless it exists. */
export async function createEntity(deps: EntityDeps, client: Client, linkId: string): Promise<{ entity: Entity; created: boolean }> {
  const existing = await entitiesRepository(deps.db).latestForLink(client.clientId, linkId);
  if (existing) return { entity: existing, created: false };
  const session = buildSession(deps, client, { link_id: linkId, accept_anything: true, is_mobile_field_editable: false });
  session.expiresAt = new Date(session.createdAt.getTime() + ENTITY_LIFETIME_MS);
  await deps.db.transaction(async (tx) => {
    await sessionsRepository(tx).insert(session);
    await entitiesRepository(tx).insert({ entityId: session.sessionId, clientId: client.clientId, linkId, createdAt: session.createdAt });
  });
  return { entity: { entityId: session.sessionId, linkId }, created: true };
}

/** A client's entity: SESSION_NOT_FOUND when unknown, another client's, or deleted. */
export async function findEntity(deps: Pick<Deps, 'db'>, client: Client, entityId: string): Promise<EntityRow> {
  const entity = await entitiesRepository(deps.db).find(client.clientId, entityId);
  if (!entity) throw new AppError('SESSION_NOT_FOUND');
  return entity;
}

/** One page (1-based) of the client's entities, oldest first; a page past the last is NOT_FOUND, as DRF answers. */
export async function listEntities(
  deps: Pick<Deps, 'db'>,
  client: Client,
  query: { linkId: string | null; page: number },
): Promise<{ count: number; page: number; lastPage: number; entities: EntityRow[] }> {
  const repo = entitiesRepository(deps.db);
  const count = await repo.count(client.clientId, query.linkId);
  const lastPage = Math.max(1, Math.ceil(count / ENTITIES_PER_PAGE));
  if (!Number.isSafeInteger(query.page) || query.page < 1 || query.page > lastPage) throw new AppError('NOT_FOUND', 'Invalid page.');
  const entities = await repo.page(client.clientId, query.linkId, (query.page - 1) * ENTITIES_PER_PAGE, ENTITIES_PER_PAGE);
  return { count, page: query.page, lastPage, entities };
}

export interface EntityUploadInput extends Omit<UploadInput, 'sessionId' | 'channel'> {
  entityId: string | null;
  linkId: string | null;
}

/**
 * An entity-flow upload: into the entity named by entity_id (which wins over link_id, as
 * documented), else into the link_id's entity, created on first use. The statement is stored by
 * the session's own upload, then processing is scheduled. `entityId` of the result is known
 * even when the upload is refused (the caller's error body names it).
 */
export async function uploadToEntity(deps: Deps, client: Client, input: EntityUploadInput, onEntity: (entityId: string) => void = () => {}): Promise<UploadResult> {
  // Refusals that need no entity come first, so that a request refused outright makes none.
  if (input.file === null && input.fileBase64 === null && input.fileUrl === null) throw new AppError('MISSING_FILE_OBJECT');
  if (input.bankName !== null && !deps.banks.find(input.bankName)) throw fieldError('bank_name', `"${input.bankName}" is not a valid choice.`);
  let entityId: string;
  if (input.entityId !== null) {
    const found = await entitiesRepository(deps.db).find(client.clientId, input.entityId);
    if (!found) throw fieldError('entity_id', 'No entity with this entity_id.');
    entityId = found.entityId;
  } else if (input.linkId !== null) {
    entityId = (await createEntity(deps, client, input.linkId)).entity.entityId;
  } else {
    throw fieldError('link_id', 'This field is required.');
  }
  onEntity(entityId);
  const { entityId: _e, linkId: _l, ...upload } = input;
  const result = await uploadStatement(deps, client, { ...upload, sessionId: entityId, channel: 'api' });
  await scheduleProcessing(deps, entityId);
  return result;
}

/** Processing starts by itself after an entity-flow upload: the session flow's job, on the entity reopened for it. */
async function scheduleProcessing(deps: Pick<Deps, 'db' | 'jobs'>, entityId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await entitiesRepository(tx).reopenForProcessing(entityId);
    await jobsRepository(tx).enqueue(PROCESS_SESSION_JOB, { sessionId: entityId });
  });
  deps.jobs?.wake();
}

export type StatementProgress = 'processing' | 'completed' | 'failed';

/** What the entity's data endpoints read: the stored analyses, and where each statement's processing is. */
export interface EntityData extends StoredInsights {
  entity: Entity;
  progress: { statementId: string; accountId: string; status: StatementProgress; message: string | null }[];
  /** Every statement processed: the Excel reports and the score may be handed out. */
  allProcessed: boolean;
}

/**
 * A statement is processed once its rows are in its account's stored analysis, or once the
 * entity is marked processed (a later upload clears that mark until the job has run again);
 * it failed when processing failed its account (a balance that does not reconcile, no account
 * number), with the account's reason as its message.
 */
function progressOf(session: Session, accounts: StoredInsights['accounts']): EntityData['progress'] {
  return accounts.flatMap(({ summary, analysis }) => {
    const analysed = new Set(analysis?.transactions.map((t) => t.statementId) ?? []);
    return summary.statements.map((s) => {
      const processed = session.processingCompletedAt !== null || analysed.has(s.statementId);
      const failed = processed && summary.processingStatus === 'failed';
      return {
        statementId: s.statementId,
        accountId: summary.accountId,
        status: failed ? ('failed' as const) : processed ? ('completed' as const) : ('processing' as const),
        message: failed ? summary.errorMessage : null,
      };
    });
  });
}

/**
 * The entity's data as its endpoints read it: never refused for processing not yet done (they
 * answer with `progress` saying so, and what is analysed so far). `accountId` narrows the
 * accounts (the documented `?account_id=` filter); progress always covers every statement.
 */
export async function readEntityData(deps: Pick<Deps, 'db' | 'now' | 'config'>, client: Client, entityId: string, accountId: string | null = null): Promise<EntityData> {
  const entity = await findEntity(deps, client, entityId);
  const session = (await sessionsRepository(deps.db).findForClient(client.clientId, entity.entityId))!;
  const summaries: AccountSummary[] = await accountsRepository(deps.db).summaries(session);
  const insights = await storedInsights(deps, session, summaries);
  const progress = progressOf(session, insights.accounts);
  return {
    ...insights,
    accounts: accountId === null ? insights.accounts : insights.accounts.filter((a) => a.summary.accountId === accountId),
    entity: { entityId: entity.entityId, linkId: entity.linkId },
    progress,
    allProcessed: progress.every((p) => p.status !== 'processing'),
  };
}

/**
 * `entity/webhook_payloads/?link_id=`: every entity-flow webhook event recorded for the link_id's
 * entities (usecases/process-session.ts records them), newest first, whatever became of its
 * delivery; `at` is when it was recorded, which is when it was first due.
 */
export async function entityWebhookPayloads(
  deps: Pick<Deps, 'db'>,
  client: Client,
  linkId: string,
): Promise<{ entityId: string; linkId: string | null; statementId: string; progress: 'completed' | 'failed'; reason: string; at: Date }[]> {
  const repo = entitiesRepository(deps.db);
  const entities = await repo.page(client.clientId, linkId, 0, await repo.count(client.clientId, linkId));
  const events = await webhooksRepository(deps.db).bodiesOf(
    entities.map((e) => e.entityId),
    ENTITY_STATEMENT_EVENT,
  );
  return events.map(({ body, createdAt }) => {
    const p = JSON.parse(body) as { entity_id: string; link_id: string | null; statement_id: string; progress: 'completed' | 'failed'; reason: string };
    return { entityId: p.entity_id, linkId: p.link_id, statementId: p.statement_id, progress: p.progress, reason: p.reason, at: createdAt };
  });
}
