/**
 * The Excel reports of a processed session: one workbook per account and one for the session,
 * handed out as one-hour signed links (like get_pdfs) and built on request from the stored
 * analysis, which is never recomputed.
 */
import { PassThrough } from 'node:stream';
import type { Client } from '../domain/client.ts';
import { AppError } from '../errors/codes.ts';
import { isUuid } from '../lib/ids.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import type { Deps } from './deps.ts';
import { readInsights, storedInsights } from './read-session-data.ts';
import { checkLink, linkSigningKey, reportFileName, reportSubject } from './statement-files.ts';

type ReportDeps = Pick<Deps, 'db' | 'now' | 'config'>;

/** `xlsx_report/`: a link per account (BankConnect's shape has no session-level entry here; insights carries it). */
export async function reportLinks(deps: ReportDeps, client: Client, sessionId: string): Promise<{ sessionId: string; reports: { accountId: string; link: string }[] }> {
  const insights = await readInsights(deps, client, sessionId);
  return {
    sessionId: insights.session.sessionId,
    reports: insights.accounts.filter((a) => a.analysis).map((a) => ({ accountId: a.summary.accountId, link: insights.reportUrls.accounts[a.summary.accountId]! })),
  };
}

/**
 * The workbook behind a signed link: `account_report_<account_id>.xlsx` or
 * `entity_report_<session_id>.xlsx`. ACCESS_DENIED for a forged or expired link; NOT_FOUND once
 * the session is deleted or the account has no analysis.
 */
export async function reportWorkbook(
  deps: ReportDeps,
  sessionId: string,
  file: string,
  expires: string | undefined,
  signature: string | undefined,
): Promise<{ fileName: string; bytes: Buffer }> {
  const accountId = /^account_report_(.+)\.xlsx$/.exec(file)?.[1] ?? null;
  if (accountId === null && file !== reportFileName(sessionId, null)) throw new AppError('NOT_FOUND', 'There is no such report.');
  checkLink(await linkSigningKey(deps.db), reportSubject(sessionId, accountId), expires, signature, deps.now());
  const clientId = isUuid(sessionId) ? await sessionsRepository(deps.db).clientIdOf(sessionId) : null;
  const session = clientId ? await sessionsRepository(deps.db).findForClient(clientId, sessionId) : null;
  if (!session || session.deletedAt || !session.processingCompletedAt) throw new AppError('NOT_FOUND', 'This report is no longer available.');
  const insights = await storedInsights(deps, session, await accountsRepository(deps.db).summaries(session));
  const analysed = insights.accounts.flatMap(({ summary, analysis }) => (analysis ? [{ summary, analysis }] : []));
  const { enrichmentVersion } = insights;
  if (enrichmentVersion === null || (accountId !== null && !analysed.some((a) => a.summary.accountId === accountId))) {
    throw new AppError('NOT_FOUND', 'This report is no longer available.');
  }
  // exceljs is loaded on the first report: it costs every process that imports the app a quarter
  // of a second, and most never write a workbook.
  const { writeXlsxReport } = await import('../reports/xlsx-report.ts');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeXlsxReport(
    { sessionId, enrichmentVersion, accounts: analysed, aggregateMonthlyAnalysis: insights.aggregateMonthlyAnalysis },
    out,
    accountId ? { accountId } : {},
  );
  return { fileName: reportFileName(sessionId, accountId), bytes: Buffer.concat(chunks) };
}
