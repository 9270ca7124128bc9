/**
 * `session_data/<session_id>/…`: a session read back, its upload status, processing
 * (initiate, progress, status), insights, PDF links, and deletion. All need the API key and
 * server hash; an unknown session is 404 SESSION_NOT_FOUND, a deleted one 410 SESSION_DELETED.
 */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { deleteSession } from '../../usecases/delete-session.ts';
import { initiateProcessing } from '../../usecases/initiate-processing.ts';
import { readInsights, readSessionAccounts, statementLinks, statementPdf } from '../../usecases/read-session-data.ts';
import { sessionForData } from '../../usecases/session-for-data.ts';
import type { ErrorCode } from '../../errors/codes.ts';
import type { Router } from '../route.ts';
import { InsightsResponse, renderInsights } from '../../wire/insights-wire.ts';
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

export function sessionDataRoutes(router: Router, deps: Deps): void {
  const base = '/bank-connect/v1/session_data/:session_id';
  const auth = 'api-key-and-server-hash' as const;
  const params = SessionPath;

  router.route({
    method: 'GET',
    url: `${base}/details/`,
    auth,
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
    summary: 'Upload status: accounts, statements, covered months and gaps',
    params,
    responses: { 200: { description: 'Accounts and statements uploaded so far', json: UploadStatusResponse } },
    errors: SESSION_ERRORS,
    async handler({ path, client }) {
      const { session, accounts } = await readSessionAccounts(deps, client, path.session_id);
      return { body: renderUploadStatus(deps.banks, session, accounts) };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/initiate_processing/`,
    auth,
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
    summary: 'Per-account processing outcome',
    params,
    responses: { 200: { description: 'Accounts and their processing status', json: SessionStatusResponse } },
    errors: [...SESSION_ERRORS, 'PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED'],
    async handler({ path, client }) {
      const { session, accounts } = await readSessionAccounts(deps, client, path.session_id, 'completed');
      return { body: renderSessionStatus(deps.banks, session, accounts) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/insights/`,
    auth,
    summary: 'Account details and every transaction, with page and box',
    params,
    responses: { 200: { description: 'Insights', json: InsightsResponse } },
    errors: [...SESSION_ERRORS, 'PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED'],
    async handler({ path, client }) {
      return { body: renderInsights(...(await readInsights(deps, client, path.session_id))) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/get_pdfs/`,
    auth,
    summary: 'Signed one-hour download links for the uploaded PDFs',
    params,
    responses: { 200: { description: 'Download links', json: PdfLinksResponse } },
    errors: SESSION_ERRORS,
    async handler({ path, client }) {
      return { body: renderPdfLinks(await statementLinks(deps, client, path.session_id)) };
    },
  });

  router.route({
    method: 'DELETE',
    url: `${base}/delete/`,
    auth,
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
}
