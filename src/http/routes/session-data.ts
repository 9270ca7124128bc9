/**
 * `session_data/<session_id>/…`: a session read back, its upload status, processing
 * (initiate, progress, status), insights, PDF links, and deletion. All need the API key and
 * server hash; an unknown session is 404 SESSION_NOT_FOUND, a deleted one 410 SESSION_DELETED.
 */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { deleteSession } from '../../usecases/delete-session.ts';
import { initiateProcessing } from '../../usecases/initiate-processing.ts';
import { aaDataFile, readInsights, readSessionAccounts, statementLinks, statementPdf } from '../../usecases/read-session-data.ts';
import { AppError } from '../../errors/codes.ts';
import { sessionForData } from '../../usecases/session-for-data.ts';
import type { ErrorCode } from '../../errors/codes.ts';
import type { Router } from '../route.ts';
import {
  IdentityResponse,
  InsightsResponse,
  renderIdentity,
  renderInsights,
  renderTopic,
  renderXlsxReports,
  TopicResponse,
  XlsxReportResponse,
  type AccountDataKey,
} from '../../wire/insights-wire.ts';
import { reportLinks, reportWorkbook } from '../../usecases/session-reports.ts';
import {
  PdfLinksResponse,
  renderAcknowledged,
  ProgressResponse,
  renderPdfLinks,
  renderProgress,
  renderSessionDetails,
  renderSessionStatus,
  renderUploadStatus,
  SessionAcknowledged,
  SessionDetails,
  SessionStatusResponse,
  UploadStatusResponse,
} from '../../wire/session-wire.ts';
import { Uuid } from '../../wire/wire-formats.ts';

export const SessionPath = Type.Object({ session_id: Uuid });

/** What every session_data route may answer besides its own refusals. */
const SESSION_ERRORS: ErrorCode[] = ['SESSION_NOT_FOUND', 'SESSION_DELETED'];
/** What the routes that read processed data may answer. */
const PROCESSED_ERRORS: ErrorCode[] = [...SESSION_ERRORS, 'PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED'];

/** Per-topic endpoints: path, the parts of each account's data they answer, summary. */
const TOPICS: [string, readonly AccountDataKey[], string][] = [
  ['transactions', ['transactions'], 'Every enriched transaction, with page and box'],
  ['salary', ['salary_transactions', 'salary_events'], 'Salary credits, employer and salary month; late and changed salaries'],
  ['recurring_transactions', ['recurring_transactions'], 'Recurring debit and credit sets'],
  ['lender_transactions', ['lender_transactions'], 'EMIs and loan disbursals'],
  ['expense_categories', ['expense_categories'], 'Debits by category, in whole percentages'],
  ['top_credits_debits', ['top_credits_debits'], 'The five largest credits and debits of each month'],
  ['monthly_analysis_updated', ['monthly_analysis'], 'Monthly analysis: every metric per month'],
  ['eod_balances', ['eod_balances'], 'End-of-day balances of every day'],
  ['predictors', ['predictors'], 'Predictors'],
  ['score', ['score'], 'Score (Passbook produces none: null)'],
  ['fraud', ['fraud', 'fraud_details'], 'Fraud findings with their reasons and evidence'],
];

export function sessionDataRoutes(router: Router, deps: Deps): void {
  const base = '/bank-connect/v1/session_data/:session_id';
  const auth = 'api-key-and-server-hash' as const;
  const params = SessionPath;

  router.route({
    method: 'GET',
    url: `${base}/details/`,
    auth,
    startsWork: false,
    summary: 'Read a session back',
    params,
    responses: { 200: { description: 'The stored session', json: SessionDetails } },
    errors: SESSION_ERRORS,
    async handler({ path, client }) {
      return { body: renderSessionDetails(await sessionForData(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/session_upload_status/`,
    auth,
    startsWork: false,
    summary: 'Upload status: accounts, statements, covered months and gaps',
    params,
    responses: { 200: { description: 'Accounts and statements uploaded so far', json: UploadStatusResponse } },
    errors: SESSION_ERRORS,
    async handler({ path, client }) {
      const { session, accounts, aa } = await readSessionAccounts(deps, client, path.session_id);
      return { body: renderUploadStatus(deps.banks, session, accounts, aa) };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/initiate_processing/`,
    auth,
    startsWork: true,
    summary: 'Uploads are done: start processing',
    params,
    responses: { 202: { description: 'Processing requested', json: SessionAcknowledged } },
    errors: [...SESSION_ERRORS, 'DUPLICATE_PROCESSING_REQUEST', 'UNPARSABLE_STATEMENTS'],
    async handler({ path, client }) {
      await initiateProcessing(deps, client, path.session_id);
      deps.jobs?.wake();
      return { status: 202, body: renderAcknowledged(path.session_id) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/progress/`,
    auth,
    startsWork: false,
    summary: 'Processing progress per statement',
    params,
    responses: { 200: { description: 'Progress', json: ProgressResponse } },
    errors: [...SESSION_ERRORS, 'PROCESSING_NOT_REQUESTED'],
    async handler({ path, client }) {
      const { session, accounts } = await readSessionAccounts(deps, client, path.session_id, 'requested');
      return { body: renderProgress(session, accounts) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/session_status/`,
    auth,
    startsWork: false,
    summary: 'Per-account processing outcome',
    params,
    responses: { 200: { description: 'Accounts and their processing status', json: SessionStatusResponse } },
    errors: [...SESSION_ERRORS, 'PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED'],
    async handler({ path, client }) {
      const { session, accounts, aa } = await readSessionAccounts(deps, client, path.session_id, 'completed');
      return { body: renderSessionStatus(deps.banks, session, accounts, aa) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/insights/`,
    auth,
    startsWork: false,
    summary: 'Everything: account details, enriched transactions, analysis, predictors, fraud findings',
    params,
    responses: { 200: { description: 'Insights', json: InsightsResponse } },
    errors: PROCESSED_ERRORS,
    async handler({ path, client }) {
      return { body: renderInsights(await readInsights(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/identity/`,
    auth,
    startsWork: false,
    summary: "The accounts' identity as read from the statements",
    params,
    responses: { 200: { description: 'Accounts and their holders', json: IdentityResponse } },
    errors: PROCESSED_ERRORS,
    async handler({ path, client }) {
      return { body: renderIdentity(await readInsights(deps, client, path.session_id)) };
    },
  });

  // The per-topic parts of insights/ (BankConnect's older session_data endpoints): each answers
  // the session and, per account, only its part.
  for (const [topic, keys, summary] of TOPICS) {
    router.route({
      method: 'GET',
      url: `${base}/${topic}/`,
      auth,
      startsWork: false,
      summary,
      params,
      responses: { 200: { description: summary, json: TopicResponse(keys) } },
      errors: PROCESSED_ERRORS,
      async handler({ path, client }) {
        return { body: renderTopic(await readInsights(deps, client, path.session_id), keys) };
      },
    });
  }

  router.route({
    method: 'GET',
    url: `${base}/xlsx_report/`,
    auth,
    startsWork: false,
    summary: 'Signed one-hour links to each account\'s Excel report',
    params,
    responses: { 200: { description: 'Report links', json: XlsxReportResponse } },
    errors: PROCESSED_ERRORS,
    async handler({ path, client }) {
      return { body: renderXlsxReports(await reportLinks(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/get_pdfs/`,
    auth,
    startsWork: false,
    summary: 'Signed one-hour download links for the uploaded PDFs (and, when asked, the Account Aggregator data)',
    description:
      'Statements fetched through an Account Aggregator have source AA and no PDF: pdf_url is null, unless send_aa_data=true, which makes it a link to the FI data as XML (the default) or JSON (aa_data_format).',
    params,
    querystring: Type.Object({
      send_aa_data: Type.Optional(Type.String({ description: 'true: links to the AA data for AA statements.' })),
      aa_data_format: Type.Optional(Type.String({ description: 'xml (default) or json.' })),
    }),
    responses: { 200: { description: 'Download links', json: PdfLinksResponse } },
    errors: [...SESSION_ERRORS, 'INVALID_REQUEST'],
    async handler({ path, client, request }) {
      const query = request.query as { send_aa_data?: string; aa_data_format?: string };
      const format = query.aa_data_format?.toLowerCase() ?? 'xml';
      if (format !== 'xml' && format !== 'json') throw new AppError('INVALID_REQUEST', 'aa_data_format, Must be xml or json.');
      const aaDataFormat = query.send_aa_data?.toLowerCase() === 'true' ? format : null;
      return { body: renderPdfLinks(await statementLinks(deps, client, path.session_id, { aaDataFormat })) };
    },
  });

  // The signed links to AA data handed out by get_pdfs?send_aa_data=true, one route per format.
  for (const [format, contentType] of [['xml', 'application/xml'], ['json', 'application/json']] as const) {
    router.route({
      method: 'GET',
      url: `/bank-connect/v1/files/aa-data/${format}/:file`,
      auth: 'none',
      summary: `Download the Account Aggregator data of a statement as ${format.toUpperCase()} through a link from get_pdfs`,
      params: Type.Object({ file: Type.String({ description: `<statement_id>.${format}` }) }),
      querystring: Type.Object({ expires: Type.String(), signature: Type.String() }),
      responses: { 200: { description: 'The FI data (DEPOSIT), decrypted', contentType, headers: { 'content-disposition': `attachment; filename="<statement_id>.${format}"` } } },
      errors: ['ACCESS_DENIED', 'NOT_FOUND'],
      async handler({ path, request }) {
        const statementId = path.file.endsWith(`.${format}`) ? path.file.slice(0, -format.length - 1) : path.file;
        const query = request.query as Record<string, string | undefined>;
        const bytes = await aaDataFile(deps, statementId, format, query.expires, query.signature);
        return {
          body: bytes,
          contentType,
          headers: { 'content-disposition': `attachment; filename="${statementId}.${format}"`, 'cache-control': 'private, no-store' },
        };
      },
    });
  }

  router.route({
    method: 'DELETE',
    url: `${base}/delete/`,
    auth,
    startsWork: false,
    summary: "Delete the session's files and data",
    params,
    responses: { 200: { description: 'Deleted', json: SessionAcknowledged } },
    errors: SESSION_ERRORS,
    async handler({ path, client }) {
      await deleteSession(deps, client, path.session_id);
      return { body: renderAcknowledged(path.session_id) };
    },
  });

  // The signed links handed out by get_pdfs: the signature is the credential.
  router.route({
    method: 'GET',
    url: '/bank-connect/v1/files/statements/:file',
    auth: 'none',
    summary: 'Download a statement PDF through a link from get_pdfs',
    params: Type.Object({ file: Type.String({ description: '<statement_id>.pdf' }) }),
    querystring: Type.Object({ expires: Type.String(), signature: Type.String() }),
    responses: { 200: { description: 'The statement as uploaded', contentType: 'application/pdf', headers: { 'content-disposition': 'attachment; filename="<statement_id>.pdf"' } } },
    errors: ['ACCESS_DENIED', 'NOT_FOUND'],
    async handler({ path, request }) {
      const statementId = path.file.replace(/\.pdf$/, '');
      const query = request.query as Record<string, string | undefined>;
      const bytes = await statementPdf(deps, statementId, query.expires, query.signature);
      return {
        body: bytes,
        contentType: 'application/pdf',
        headers: { 'content-disposition': `attachment; filename="${statementId}.pdf"`, 'cache-control': 'private, no-store' },
      };
    },
  });

  // The signed links to Excel reports (xlsx_report/, insights): the signature is the credential.
  router.route({
    method: 'GET',
    url: '/bank-connect/v1/files/reports/:session_id/:file',
    auth: 'none',
    summary: 'Download an Excel report through a link from xlsx_report or insights',
    params: Type.Object({ session_id: Type.String(), file: Type.String({ description: 'account_report_<account_id>.xlsx or entity_report_<session_id>.xlsx' }) }),
    querystring: Type.Object({ expires: Type.String(), signature: Type.String() }),
    responses: {
      200: {
        description: 'The workbook',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        headers: { 'content-disposition': 'attachment; filename="<file>"' },
      },
    },
    errors: ['ACCESS_DENIED', 'NOT_FOUND'],
    async handler({ path, request }) {
      const query = request.query as Record<string, string | undefined>;
      const report = await reportWorkbook(deps, path.session_id, path.file, query.expires, query.signature);
      return {
        body: report.bytes,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        headers: { 'content-disposition': `attachment; filename="${report.fileName}"`, 'cache-control': 'private, no-store' },
      };
    },
  });
}
