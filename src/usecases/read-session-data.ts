/**
 * What the data APIs read about a session (`session_data/<id>/…`): its accounts, processing
 * state, transactions and statement PDFs. The rules of when each may be read live here; HTTP
 * only renders the result.
 */
import type { AccountSummary } from '../domain/account.ts';
import type { Client } from '../domain/client.ts';
import type { Session } from '../domain/session.ts';
import type { AccountAnalysis } from '../domain/insights.ts';
import { AppError } from '../errors/codes.ts';
import { isUuid } from '../lib/ids.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { aaRepository } from '../store/repositories/aa-repository.ts';
import type { AaConsent, AaFiRequest } from '../domain/aa-consent.ts';
import { analysesRepository } from '../store/repositories/analyses-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';
import type { Deps } from './deps.ts';
import { sessionForData } from './session-for-data.ts';
import { aaDataSubject, checkLink, linkSigningKey, signedAaDataUrl, signedPdfUrl, signedReportUrl } from './statement-files.ts';
import { readDeposit } from '../aa/deposit-data.ts';
import { depositDocumentInputOf, depositJson, depositXml } from '../aa/deposit-document.ts';
import { unseal } from '../lib/sealed-data.ts';

type ReadDeps = Pick<Deps, 'db' | 'now'>;

/** What processing stored about a session, as the data APIs read it. */
export interface StoredInsights {
  session: Session;
  accounts: { summary: AccountSummary; analysis: AccountAnalysis | null }[];
  aggregateMonthlyAnalysis: AccountAnalysis['monthlyAnalysis'] | null;
  enrichmentVersion: string | null;
  /** One-hour signed links to the Excel reports: the session's, and each account's by id. */
  reportUrls: { session: string; accounts: Record<string, string> };
}

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
): Promise<{ session: Session; accounts: AccountSummary[]; aa: { consent: AaConsent; fi: AaFiRequest | null } | null }> {
  const session = await sessionForData(deps, client, sessionId);
  requireProcessing(session, requirement);
  return { session, accounts: await accountsRepository(deps.db).summaries(session), aa: await aaRequestOf(deps, session.sessionId) };
}

/** The session's AA request: its latest data fetch and that fetch's consent (a recurring pull's is its parent session's), else its latest consent. */
async function aaRequestOf(deps: ReadDeps, sessionId: string): Promise<{ consent: AaConsent; fi: AaFiRequest | null } | null> {
  const repo = aaRepository(deps.db);
  const fi = (await repo.fiRequestsOfSession(sessionId))[0] ?? null;
  const consent = fi ? await repo.consent(fi.consentRequestId) : ((await repo.consentsOfSession(sessionId))[0] ?? null);
  return consent ? { consent, fi } : null;
}

/** A processed session's accounts with their stored analyses (null for an account processing did not analyse). */
export async function readInsights(deps: ReadDeps & Pick<Deps, 'config'>, client: Client, sessionId: string): Promise<StoredInsights> {
  const { session, accounts } = await readSessionAccounts(deps, client, sessionId, 'completed');
  return storedInsights(deps, session, accounts);
}

/** What processing stored about a processed session (reads never recompute it). */
export async function storedInsights(deps: ReadDeps & Pick<Deps, 'config'>, session: Session, accounts: AccountSummary[]): Promise<StoredInsights> {
  const analyses = analysesRepository(deps.db);
  const stored = await analyses.accountsOf(session.sessionId);
  const aggregate = await analyses.sessionOf(session.sessionId);
  const key = await linkSigningKey(deps.db);
  const link = (accountId: string | null) => signedReportUrl(deps.config.publicUrl, key, session.sessionId, accountId, deps.now());
  return {
    session,
    accounts: accounts.map((summary) => ({ summary, analysis: stored.get(summary.accountId) ?? null })),
    aggregateMonthlyAnalysis: aggregate?.aggregateMonthlyAnalysis ?? null,
    enrichmentVersion: aggregate?.enrichmentVersion ?? null,
    reportUrls: { session: link(null), accounts: Object.fromEntries(accounts.map((a) => [a.accountId, link(a.accountId)])) },
  };
}

/** One-hour signed download links for every stored statement of the session. */
export async function statementLinks(
  deps: Pick<Deps, 'db' | 'now' | 'config'>,
  client: Client,
  sessionId: string,
  options: { aaDataFormat: 'xml' | 'json' | null } = { aaDataFormat: null },
): Promise<{ account: AccountSummary; statementId: string; source: 'pdf' | 'aa'; url: string | null }[]> {
  const { accounts } = await readSessionAccounts(deps, client, sessionId);
  const key = await linkSigningKey(deps.db);
  return accounts.flatMap((account) =>
    account.statements.map((s) => {
      // Account Aggregator data has no PDF: its link (when asked for) gives the FI data itself.
      if (s.source === 'aa') {
        const url = options.aaDataFormat ? signedAaDataUrl(deps.config.publicUrl, key, s.statementId, options.aaDataFormat, deps.now()) : null;
        return { account, statementId: s.statementId, source: 'aa' as const, url };
      }
      return { account, statementId: s.statementId, source: 'pdf' as const, url: signedPdfUrl(deps.config.publicUrl, key, s.statementId, deps.now()) };
    }),
  );
}

/**
 * The FI data behind a signed link, decrypted, in the format asked for: as the FIP sent it, or
 * re-written in the other format (the same DEPOSIT fields, docs/aa.md "Raw data").
 */
export async function aaDataFile(
  deps: Pick<Deps, 'db' | 'now' | 'blobs' | 'aa'>,
  statementId: string,
  format: 'xml' | 'json',
  expires: string | undefined,
  signature: string | undefined,
): Promise<Buffer> {
  checkLink(await linkSigningKey(deps.db), aaDataSubject(statementId, format), expires, signature, deps.now());
  const blobKey = isUuid(statementId) ? await statementsRepository(deps.db).blobKeyOf(statementId) : null;
  const sealed = blobKey && deps.aa ? await deps.blobs.get(blobKey) : null;
  if (!blobKey || !sealed || !deps.aa) throw new AppError('NOT_FOUND', 'This data is no longer stored.');
  const document = unseal(deps.aa.dataKey, sealed, blobKey);
  if (blobKey.endsWith(`.${format}`)) return document;
  const account = readDeposit(document);
  const input = depositDocumentInputOf(account);
  const version = account.schema === 2 ? '2.0.0' : '1.1';
  return Buffer.from(format === 'xml' ? depositXml(input, version) : depositJson(input, version), 'utf8');
}

/** The PDF behind a signed link: ACCESS_DENIED for a forged or expired link, NOT_FOUND once it is gone. */
export async function statementPdf(
  deps: Pick<Deps, 'db' | 'now' | 'blobs'>,
  statementId: string,
  expires: string | undefined,
  signature: string | undefined,
): Promise<Buffer> {
  checkLink(await linkSigningKey(deps.db), statementId, expires, signature, deps.now());
  const blobKey = isUuid(statementId) ? await statementsRepository(deps.db).blobKeyOf(statementId) : null;
  const bytes = blobKey ? await deps.blobs.get(blobKey) : null;
  if (!bytes) throw new AppError('NOT_FOUND', 'This statement is no longer stored.');
  return bytes;
}
