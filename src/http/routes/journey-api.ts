/**
 * `/journey/api/sessions/<session_id>…`: what the hosted journey page calls. No API key: the
 * session id from the lender's redirect_url is the credential. Uploads use the same use case
 * as the backend upload API.
 */
import type { Deps } from '../../usecases/deps.ts';
import { completeJourney, exitJourney, viewJourney } from '../../usecases/journey.ts';
import { uploadStatement } from '../../usecases/upload-statement.ts';
import { AppError } from '../../errors/codes.ts';
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import type { Router } from '../route.ts';
import { maskAccountNumber } from '../../wire/statement-wire.ts';
import { readUploadBody } from '../upload-body.ts';
import { bankLogoUrl } from './banks.ts';

export function journeyApiRoutes(router: Router, deps: Deps): void {
  const base = '/journey/api/sessions/:session_id';

  router.route({
    method: 'GET',
    url: base,
    auth: 'none',
    async handler({ path }) {
      const view = await viewJourney(deps, path.session_id!);
      const { session } = view;
      const covered = new Set(view.accounts.flatMap((a) => a.months));
      return {
        headers: { 'cache-control': 'no-store' },
        body: {
          session_id: session.sessionId,
          link_id: session.linkId,
          state: view.state,
          bank_name: session.bankName,
          mode: session.mode,
          journey_mode: session.journeyMode,
          logo_url: session.logoUrl,
          from_date: formatDayMonthYear(session.fromDate),
          to_date: formatDayMonthYear(session.toDate),
          months: session.months,
          missing_months: session.acceptAnything && view.accounts.length > 0 ? [] : session.months.filter((m) => !covered.has(m)),
          accounts: view.accounts.map((a) => ({
            bank_name: a.bankName,
            full_bank_name: deps.banks.find(a.bankName)?.full_name ?? a.bankName,
            masked_account_number: maskAccountNumber(a.accountNumber),
            months: a.months,
            statements: a.statements.length,
          })),
          modes: view.modes,
          banks: deps.banks
            .all()
            .map((b) => ({ name: b.name, full_name: b.full_name, logo_url: bankLogoUrl(deps.config.publicUrl, b.name), modes: view.modes.filter((m) => deps.banks.offers(b, m)) }))
            .filter((b) => b.modes.length > 0),
          redirect_origin: session.redirectUrl ? new URL(session.redirectUrl).origin : null,
          // Where iframe events may go: never '*' unless the client asked for it.
          parent_origins: [...new Set([...(session.redirectUrl ? [new URL(session.redirectUrl).origin] : []), ...view.client.frameOrigins])],
        },
      };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/statements`,
    auth: 'none',
    bodyLimit: deps.limits.maxBytes + 64 * 1024,
    async handler({ path, request }) {
      const view = await viewJourney(deps, path.session_id!);
      if (view.state === 'deleted') throw new AppError('SESSION_DELETED');
      if (view.state !== 'open') throw new AppError('SESSION_EXPIRED');
      if (!view.modes.includes('pdf')) throw new AppError('MODE_NOT_ENABLED');
      const body = await readUploadBody(request, deps.limits.maxBytes);
      const result = await uploadStatement(deps, view.client, {
        sessionId: view.session.sessionId,
        uploadType: 'PDF',
        file: body.file,
        fileBase64: null,
        fileUrl: null,
        bankName: body.fields.bank_name || null,
        pdfPassword: body.fields.pdf_password || null,
      });
      return {
        body: {
          statement_id: result.statementId,
          bank_name: result.bankName,
          months: result.months,
          missing_months: result.missingMonths,
          transaction_count: result.parsed.transactions.length,
        },
      };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/submit`,
    auth: 'none',
    async handler({ path }) {
      const { redirectUrl, session } = await completeJourney(deps, path.session_id!);
      return { body: { redirect_url: redirectUrl, session_id: session.sessionId, link_id: session.linkId } };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/exit`,
    auth: 'none',
    async handler({ path }) {
      return { body: { redirect_url: (await exitJourney(deps, path.session_id!)).redirectUrl } };
    },
  });
}
