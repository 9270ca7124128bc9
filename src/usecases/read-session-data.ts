/**
 * What the data APIs read about a session (`session_data/<id>/…`): its accounts, processing
 * state, transactions and statement PDFs. The rules of when each may be read live here; HTTP
 * only renders the result.
 */
import type { AccountSummary } from '../domain/account.ts';
import type { Client } from '../domain/client.ts';
import type { Session } from '../domain/session.ts';
import type { StoredTransaction } from '../domain/statement.ts';
import { AppError } from '../errors/codes.ts';
import { isUuid } from '../lib/ids.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';
import type { Deps } from './deps.ts';
import { sessionForData } from './session-for-data.ts';
import { checkPdfLink, linkSigningKey, signedPdfUrl } from './statement-files.ts';

type ReadDeps = Pick<Deps, 'db' | 'now'>;

/** Processing must have been asked for (`progress`), or have finished (`session_status`, `insights`). */
export type ProcessingRequirement = 'none' | 'requested' | 'completed';

function requireProcessing(session: Session, requirement: ProcessingRequirement): void {
  if (requirement === 'none') return;
  if (!session.processingRequestedAt) throw new AppError('PROCESSING_NOT_REQUESTED');
  if (requirement === 'completed' && !session.processingCompletedAt) throw new AppError('PROCESSING_NOT_COMPLETED');
}

/** The client's session and its accounts, refused with BankConnect's codes when processing is not where `requirement` needs it. */
export async function readSessionAccounts(
  deps: ReadDeps,
  client: Client,
  sessionId: string,
  requirement: ProcessingRequirement = 'none',
): Promise<{ session: Session; accounts: AccountSummary[] }> {
  const session = await sessionForData(deps, client, sessionId);
  requireProcessing(session, requirement);
  return { session, accounts: await accountsRepository(deps.db).summaries(session) };
}

/** A processed session's accounts with every transaction of their stored statements. */
export async function readInsights(
  deps: ReadDeps,
  client: Client,
  sessionId: string,
): Promise<[Session, (AccountSummary & { transactions: StoredTransaction[] })[]]> {
  const { session, accounts } = await readSessionAccounts(deps, client, sessionId, 'completed');
  const withRows = [];
  for (const a of accounts) withRows.push({ ...a, transactions: await statementsRepository(deps.db).transactionsOfAccount(a.accountId) });
  return [session, withRows];
}

/** One-hour signed download links for every stored statement of the session. */
export async function statementLinks(
  deps: Pick<Deps, 'db' | 'now' | 'config'>,
  client: Client,
  sessionId: string,
): Promise<{ account: AccountSummary; statementId: string; url: string }[]> {
  const { accounts } = await readSessionAccounts(deps, client, sessionId);
  const key = await linkSigningKey(deps.db);
  return accounts.flatMap((account) =>
    account.statements.map((s) => ({ account, statementId: s.statementId, url: signedPdfUrl(deps.config.publicUrl, key, s.statementId, deps.now()) })),
  );
}

/** The PDF behind a signed link: ACCESS_DENIED for a forged or expired link, NOT_FOUND once it is gone. */
export async function statementPdf(
  deps: Pick<Deps, 'db' | 'now' | 'blobs'>,
  statementId: string,
  expires: string | undefined,
  signature: string | undefined,
): Promise<Buffer> {
  checkPdfLink(await linkSigningKey(deps.db), statementId, expires, signature, deps.now());
  const blobKey = isUuid(statementId) ? await statementsRepository(deps.db).blobKeyOf(statementId) : null;
  const bytes = blobKey ? await deps.blobs.get(blobKey) : null;
  if (!bytes) throw new AppError('NOT_FOUND', 'This statement is no longer stored.');
  return bytes;
}
