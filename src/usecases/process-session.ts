/**
 * The processing job: analyses every account of the session (enrichment, salary, obligations,
 * bounces, balances, monthly analysis, predictors, fraud), decides each account's outcome,
 * stores it all, marks the session processed and records ENRICHMENT_NOTIFICATION (for an
 * entity: the entity flow's per-statement events instead), in one transaction: the webhook never announces an analysis that is not stored. Idempotent, because a
 * job may run again after a crash.
 *
 * The analysis is computed before the transaction opens, so that the session's row is locked for
 * the writes only; statements cannot change meanwhile (a session takes no uploads once
 * processing is requested), and if one finished storing in that window the analysis is redone.
 */
import { analyseAccount, type AnalysedAccount } from '../analysis/analyse-account.ts';
import { aggregateMonthlyAnalysis } from '../analysis/monthly-analysis.ts';
import type { AccountSummary } from '../domain/account.ts';
import type { AccountAnalysis } from '../domain/insights.ts';
import type { Session } from '../domain/session.ts';
import type { Db, Queryable } from '../ports/db.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { analysesRepository } from '../store/repositories/analyses-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';
import { recordEntityStatementEvents, recordSessionEvent } from '../webhooks/webhook-outbox.ts';
import { entitiesRepository } from '../store/repositories/entities-repository.ts';
import { enrichmentVersion } from '../enrichment/narration-rules.ts';
import type { Deps } from './deps.ts';
import { AppError } from '../errors/codes.ts';

type ProcessDeps = Pick<Deps, 'banks' | 'narrationRules' | 'now' | 'webhooks'> & { db: Db };

/** A session's accounts analysed, with the stored statements the analysis was made from. */
interface SessionAnalysed {
  accounts: { summary: AccountSummary; analysed: AnalysedAccount }[];
  /** The session's monthly analysis over all its accounts' transactions and summed balances. */
  aggregate: AccountAnalysis['monthlyAnalysis'];
  /** Sorted statement ids: if they differ when the results are stored, the analysis is stale. */
  statementIds: string;
}

const statementIdsOf = (accounts: AccountSummary[]) =>
  accounts
    .flatMap((a) => a.statements.map((s) => s.statementId))
    .sort()
    .join(',');

async function analyseSession(deps: Pick<ProcessDeps, 'narrationRules'>, db: Queryable, session: Session): Promise<SessionAnalysed> {
  const summaries = await accountsRepository(db).summaries(session);
  const hints = {
    employerNames: session.metadata?.employer_names ?? [],
    holderNames: session.metadata?.names ?? [],
    companiesForSelfTransfer: session.metadata?.companies_for_self_transfer ?? [],
  };
  const accounts = [];
  for (const summary of summaries) {
    if (summary.statements.length === 0) continue;
    const earliest = [...summary.statements].sort((a, b) => ((a.fromDate ?? '') < (b.fromDate ?? '') ? -1 : 1))[0]!;
    const analysed = analyseAccount(
      {
        accountId: summary.accountId,
        bankName: summary.bankName,
        identity: summary.identity,
        openingBalancePaise: earliest.openingBalancePaise,
        transactions: await statementsRepository(db).transactionsOfAccount(summary.accountId),
        statementFraud: summary.statements.flatMap((s) => s.fraudFindings),
      },
      deps.narrationRules,
      hints,
    );
    accounts.push({ summary, analysed });
  }
  const aggregate = aggregateMonthlyAnalysis(
    accounts.map((a) => a.analysed.input),
    accounts.map((a) => a.analysed.analysis.eodBalances),
  );
  return { accounts, aggregate, statementIds: statementIdsOf(summaries) };
}

async function storeAnalyses(db: Queryable, deps: Pick<ProcessDeps, 'narrationRules' | 'now'>, session: Session, result: SessionAnalysed): Promise<void> {
  const at = deps.now();
  const analyses = analysesRepository(db);
  for (const { analysed } of result.accounts) await analyses.saveAccount(session.sessionId, analysed.analysis, at);
  await analyses.saveSession(
    session.sessionId,
    { enrichmentVersion: enrichmentVersion(deps.narrationRules), aggregateMonthlyAnalysis: result.aggregate },
    at,
  );
}

export async function processSession(deps: ProcessDeps, sessionId: string): Promise<void> {
  const clientId = await sessionsRepository(deps.db).clientIdOf(sessionId);
  const before = clientId === null ? null : await sessionsRepository(deps.db).findForClient(clientId, sessionId);
  if (!before || before.processingCompletedAt || before.deletedAt) return markProcessedOnly(deps, sessionId);
  let result = await analyseSession(deps, deps.db, before);

  const recorded = await deps.db.transaction(async (tx) => {
    const locked = await sessionsRepository(tx).lockForProcessing(sessionId);
    if (!locked || locked.processed) return false;
    const session = (await sessionsRepository(tx).findForClient(locked.clientId, sessionId))!;
    const summaries = await accountsRepository(tx).summaries(session);
    if (statementIdsOf(summaries) !== result.statementIds) result = await analyseSession(deps, tx, session);
    if (!session.deletedAt) await storeAnalyses(tx, deps, session, result);
    const outcomes: { statementId: string; progress: 'completed' | 'failed'; reason: string }[] = [];
    for (const account of summaries) {
      const broken = account.statements.find((s) => s.reconciled === false);
      const [status, code, message]: ['completed' | 'failed', string | null, string | null] = broken
        ? [
            'failed',
            'BALANCE_MISMATCH',
            `Calculated transaction balance does not match (statement ${broken.statementId}, first at row ${(broken.firstBreak?.index ?? 0) + 1} on page ${broken.firstBreak?.page ?? '?'}, dated ${broken.firstBreak?.date ?? '?'})`,
          ]
        : account.identity.accountNumber === null
          ? ['failed', 'NULL_ACCOUNT_NUMBER', 'Account number is unavailable or unidentified']
          : ['completed', null, null];
      await accountsRepository(tx).setProcessingOutcome(account.accountId, status, code, message);
      outcomes.push(...account.statements.map((s) => ({ statementId: s.statementId, progress: status, reason: message ?? '' })));
    }
    await sessionsRepository(tx).markProcessed(sessionId, deps.now());
    // A deleted session is processed (nothing is left to process) but nobody is told about it.
    if (session.deletedAt) return false;
    // An entity's lender hears about each statement (entity flow, §4.6); a session's about the whole processing.
    const linkId = await entitiesRepository(tx).linkIdOf(sessionId);
    if (linkId !== null) return (await recordEntityStatementEvents(tx, deps, session, linkId, outcomes)) > 0;
    await recordSessionEvent(tx, deps, 'ENRICHMENT_NOTIFICATION', session);
    return true;
  });
  if (recorded) deps.webhooks?.wake();
}

/** A session that is gone, deleted or already processed: only make sure it is marked processed. */
async function markProcessedOnly(deps: ProcessDeps, sessionId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const locked = await sessionsRepository(tx).lockForProcessing(sessionId);
    if (locked && !locked.processed) await sessionsRepository(tx).markProcessed(sessionId, deps.now());
  });
}

/**
 * Runs enrichment and analysis again for a processed session (a new rules file or enrichment
 * version), replacing the stored analyses. Sends no webhook: the session's status does not
 * change. Admin API and CLI: the session is named by id alone.
 */
export async function reanalyseSession(deps: Pick<ProcessDeps, 'narrationRules' | 'now'> & { db: Db }, sessionId: string): Promise<{ sessionId: string; enrichmentVersion: string }> {
  const clientId = await sessionsRepository(deps.db).clientIdOf(sessionId);
  const session = clientId === null ? null : await sessionsRepository(deps.db).findForClient(clientId, sessionId);
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  if (session.deletedAt) throw new AppError('SESSION_DELETED');
  if (!session.processingCompletedAt) throw new AppError('PROCESSING_NOT_COMPLETED');
  const result = await analyseSession(deps, deps.db, session);
  await deps.db.transaction(async (tx) => storeAnalyses(tx, deps, session, result));
  return { sessionId, enrichmentVersion: enrichmentVersion(deps.narrationRules) };
}
