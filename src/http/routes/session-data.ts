/**
 * `session_data/<session_id>/…`: a session read back, its upload status, processing
 * (initiate, progress, status), insights, PDF links, and deletion. All need the API key and
 * server hash; an unknown session is 404 SESSION_NOT_FOUND, a deleted one 410 SESSION_DELETED.
 */
import type { Deps } from '../../usecases/deps.ts';
import { deleteSession } from '../../usecases/delete-session.ts';
import { initiateProcessing } from '../../usecases/initiate-processing.ts';
import { readInsights, readSessionAccounts, statementLinks, statementPdf } from '../../usecases/read-session-data.ts';
import { sessionForData } from '../../usecases/session-for-data.ts';
import { uploadStatus } from '../../domain/account.ts';
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import type { Router } from '../route.ts';
import { renderInsights } from '../../wire/insights-wire.ts';
import { dateTime } from '../../wire/wire-formats.ts';
import { renderSessionDetails, renderStatusAccount, renderUploadAccount } from '../../wire/session-wire.ts';

export function sessionDataRoutes(router: Router, deps: Deps): void {
  const base = '/bank-connect/v1/session_data/:session_id';
  const auth = 'api-key-and-server-hash' as const;

  router.route({
    method: 'GET',
    url: `${base}/details/`,
    auth,
    async handler({ path, client }) {
      return { body: renderSessionDetails(await sessionForData(deps, client, path.session_id!)) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/session_upload_status/`,
    auth,
    async handler({ path, client }) {
      const { session, accounts } = await readSessionAccounts(deps, client, path.session_id!);
      return {
        body: {
          session_id: session.sessionId,
          session_date_range: { from_date: formatDayMonthYear(session.fromDate), to_date: formatDayMonthYear(session.toDate) },
          upload_status: uploadStatus(session, accounts),
          session_expiry_timestamp: dateTime(session.expiresAt),
          accounts: accounts.map((a) => renderUploadAccount(deps.banks, a)),
          error: {},
        },
      };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/initiate_processing/`,
    auth,
    async handler({ path, client }) {
      await initiateProcessing(deps, client, path.session_id!);
      deps.jobs?.wake();
      return { status: 202, body: { session_id: path.session_id, message: 'success' } };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/progress/`,
    auth,
    async handler({ path, client }) {
      const { session, accounts } = await readSessionAccounts(deps, client, path.session_id!, 'requested');
      const status = session.processingCompletedAt !== null ? 'completed' : 'processing';
      return {
        body: {
          session_id: session.sessionId,
          session_progress: status,
          progress: accounts.flatMap((a) =>
            a.statements.map((s) => ({
              identity_status: 'completed',
              transaction_status: 'completed',
              processing_status: status,
              fraud_status: status,
              statement_id: s.statementId,
              message: null,
              source: 'pdf',
            })),
          ),
        },
      };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/session_status/`,
    auth,
    async handler({ path, client }) {
      const { session, accounts } = await readSessionAccounts(deps, client, path.session_id!, 'completed');
      return { body: { session_id: session.sessionId, insights_available: accounts.length > 0, accounts: accounts.map((a) => renderStatusAccount(deps.banks, a)) } };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/insights/`,
    auth,
    async handler({ path, client }) {
      return { body: renderInsights(...(await readInsights(deps, client, path.session_id!))) };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/get_pdfs/`,
    auth,
    async handler({ path, client }) {
      const links = await statementLinks(deps, client, path.session_id!);
      return {
        body: {
          statements: links.map(({ account, statementId, url }) => ({
            statement_id: statementId,
            bank_name: account.bankName,
            pdf_password: null,
            pdf_url: url,
            account_id: account.accountId,
            source: 'PDF',
            message: 'Success',
          })),
        },
      };
    },
  });

  router.route({
    method: 'DELETE',
    url: `${base}/delete/`,
    auth,
    async handler({ path, client }) {
      await deleteSession(deps, client, path.session_id!);
      return { body: { session_id: path.session_id, message: 'success' } };
    },
  });

  // The signed links handed out by get_pdfs: the signature is the credential.
  router.route({
    method: 'GET',
    url: '/bank-connect/v1/files/statements/:file',
    auth: 'none',
    async handler({ path, request }) {
      const statementId = path.file!.replace(/\.pdf$/, '');
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
