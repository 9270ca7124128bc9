/**
 * `session_data/<session_id>/…`: a session read back, its upload status, processing
 * (initiate, progress, status), insights, PDF links, and deletion. All need the API key and
 * server hash; an unknown session is 404 SESSION_NOT_FOUND, a deleted one 410 SESSION_DELETED.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../../usecases/deps.ts';
import { deleteSession } from '../../usecases/delete-session.ts';
import { initiateProcessing } from '../../usecases/initiate-processing.ts';
import { sessionForData } from '../../usecases/session-for-data.ts';
import { accountsRepository } from '../../store/repositories/accounts-repository.ts';
import { checkPdfLink, linkSigningKey, signedPdfUrl } from '../../usecases/statement-files.ts';
import type { Session } from '../../domain/session.ts';
import { AppError } from '../../errors/codes.ts';
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import { isUuid } from '../../lib/ids.ts';
import { toRupees } from '../../domain/money.ts';
import { nameMatches } from '../../statements/parse/name-match.ts';
import { statementsRepository } from '../../store/repositories/statements-repository.ts';
import type { Router } from '../route.ts';
import { dateTime } from '../../wire/wire-formats.ts';
import { renderStatusAccount, renderUploadAccount, uploadStatus } from '../../wire/session-wire.ts';

export function renderSessionDetails(s: Session): Record<string, unknown> {
  return {
    session_id: s.sessionId,
    link_id: s.linkId,
    status: s.status,
    created_at: s.createdAt.toISOString(),
    expires_at: s.expiresAt.toISOString(),
    from_date: formatDayMonthYear(s.fromDate),
    to_date: formatDayMonthYear(s.toDate),
    months: s.months,
    max_from_date: s.maxFromDate && formatDayMonthYear(s.maxFromDate),
    max_to_date: s.maxToDate && formatDayMonthYear(s.maxToDate),
    bank_name: s.bankName,
    mode: s.mode,
    journey_mode: s.journeyMode,
    redirect_url: s.redirectUrl,
    logo_url: s.logoUrl,
    mobile_number: s.mobileNumber,
    is_mobile_field_editable: s.isMobileFieldEditable,
    accept_anything: s.acceptAnything,
    aa: s.aa && {
      journey_mode: s.aa.journeyMode,
      recurring_tenure_month: s.aa.recurringTenureMonth,
      recurring_frequency_unit: s.aa.recurringFrequencyUnit,
      recurring_frequency_value: s.aa.recurringFrequencyValue,
    },
    metadata: s.metadata,
  };
}

function requireProcessed(session: Session, completed: boolean): void {
  if (!session.processingRequestedAt) throw new AppError('PROCESSING_NOT_REQUESTED');
  if (completed && !session.processingCompletedAt) throw new AppError('PROCESSING_NOT_COMPLETED');
}

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
      const session = await sessionForData(deps, client, path.session_id!);
      const accounts = await accountsRepository(deps.db).summaries(session);
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
      const session = await sessionForData(deps, client, path.session_id!);
      requireProcessed(session, false);
      const done = session.processingCompletedAt !== null;
      const status = done ? 'completed' : 'processing';
      const accounts = await accountsRepository(deps.db).summaries(session);
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
      const session = await sessionForData(deps, client, path.session_id!);
      requireProcessed(session, true);
      const accounts = await accountsRepository(deps.db).summaries(session);
      return { body: { session_id: session.sessionId, insights_available: accounts.length > 0, accounts: accounts.map((a) => renderStatusAccount(deps.banks, a)) } };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/insights/`,
    auth,
    async handler({ path, client }) {
      const session = await sessionForData(deps, client, path.session_id!);
      requireProcessed(session, true);
      const accounts = await accountsRepository(deps.db).summaries(session);
      const out = [];
      for (const a of accounts) {
        const rows = await statementsRepository(deps.db).transactionsOfAccount(a.accountId);
        const ranges = a.statements.filter((s) => s.fromDate && s.toDate);
        const id = a.identity;
        out.push({
          account_id: a.accountId,
          data: {
            account_details: {
              name: id.name,
              address: id.address,
              metadata_analysis: { name_matches: nameMatches(session.metadata?.names ?? [], id.name) },
              account_category: id.accountCategory,
              account_number: a.accountNumber,
              account_opening_date: null,
              bank: a.bankName,
              credit_limit: id.creditLimitPaise === null ? 0 : toRupees(id.creditLimitPaise),
              ifsc: id.ifsc,
              micr: id.micr,
              missing_data: a.missing.map((g) => ({ from_date: g.from, to_date: g.to })),
              od_limit: id.odLimitPaise === null ? 0 : toRupees(id.odLimitPaise),
              statements: a.statements.map((s) => s.statementId),
              months: a.months,
              uploaded_months: a.months,
              country_code: 'IN',
              currency_code: 'INR',
              account_status: a.processingStatus ?? '',
              account_type: id.accountType,
              account_date_range: {
                from_date: ranges.map((s) => s.fromDate!).sort()[0] ?? null,
                to_date: ranges.map((s) => s.toDate!).sort().at(-1) ?? null,
              },
              transaction_date_range: { from_date: rows[0]?.date ?? null, to_date: rows.at(-1)?.date ?? null },
            },
            transactions: rows.map((t) => ({
              transaction_type: t.type,
              transaction_note: t.narration,
              chq_num: t.chqNum,
              amount: toRupees(t.amountPaise),
              balance: toRupees(t.balancePaise),
              date: `${t.date} 00:00:00`,
              hash: createHash('md5').update(`${t.statementId}:${t.seq}`).digest('hex'),
              // Where the row is printed: Passbook's addition, for tracing every number.
              statement_id: t.statementId,
              page: t.page,
              bbox: t.bbox,
            })),
          },
        });
      }
      return {
        body: {
          session_id: session.sessionId,
          link_id: session.linkId,
          session_date_range: { from_date: session.fromDate, to_date: session.toDate },
          accounts: out,
        },
      };
    },
  });

  router.route({
    method: 'GET',
    url: `${base}/get_pdfs/`,
    auth,
    async handler({ path, client }) {
      const session = await sessionForData(deps, client, path.session_id!);
      const key = await linkSigningKey(deps.db);
      const accounts = await accountsRepository(deps.db).summaries(session);
      return {
        body: {
          statements: accounts.flatMap((a) =>
            a.statements.map((s) => ({
              statement_id: s.statementId,
              bank_name: a.bankName,
              pdf_password: null,
              pdf_url: signedPdfUrl(deps.config.publicUrl, key, s.statementId, deps.now()),
              account_id: a.accountId,
              source: 'PDF',
              message: 'Success',
            })),
          ),
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
      checkPdfLink(await linkSigningKey(deps.db), statementId, query.expires, query.signature, deps.now());
      const blobKey = isUuid(statementId) ? await statementsRepository(deps.db).blobKeyOf(statementId) : null;
      const bytes = blobKey ? await deps.blobs.get(blobKey) : null;
      if (!bytes) throw new AppError('NOT_FOUND', 'This statement is no longer stored.');
      return {
        body: bytes,
        contentType: 'application/pdf',
        headers: { 'content-disposition': `attachment; filename="${statementId}.pdf"`, 'cache-control': 'private, no-store' },
      };
    },
  });
}
