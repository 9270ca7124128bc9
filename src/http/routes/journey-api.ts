/**
 * `/journey/api/sessions/<session_id>…`: what the hosted journey page calls. No API key: the
 * session id from the lender's redirect_url is the credential. Uploads use the same use case
 * as the backend upload API.
 */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { completeJourney, exitJourney, openJourney, viewJourney } from '../../usecases/journey.ts';
import { BankMismatchError, uploadStatement } from '../../usecases/upload-statement.ts';
import { bankChoices } from '../../banks/bank-choice.ts';
import { AppError } from '../../errors/codes.ts';
import { formatDayMonthYear } from '../../lib/calendar-date.ts';
import type { Router } from '../route.ts';
import { MODES } from '../../domain/client.ts';
import { JOURNEY_MODES, type Session } from '../../domain/session.ts';
import { maskAccountNumber } from '../../wire/statement-wire.ts';
import { DayMonthYear, Month, Nullable, OneOf, Url, Uuid } from '../../wire/wire-formats.ts';
import { readUploadBody } from '../upload-body.ts';
import { bankLogoUrl } from './banks.ts';

const Mode = OneOf(MODES);

const JourneyView = Type.Object({
  session_id: Uuid,
  link_id: Type.String(),
  lender_name: Type.String({ description: "The client's name, for the page to say who asked for the statements." }),
  state: OneOf(['open', 'expired', 'processed', 'deleted']),
  bank_name: Nullable(Type.String()),
  mode: Nullable(Mode),
  journey_mode: Nullable(OneOf(JOURNEY_MODES)),
  logo_url: Nullable(Url),
  from_date: DayMonthYear,
  to_date: DayMonthYear,
  months: Type.Array(Month),
  missing_months: Type.Array(Month),
  accounts: Type.Array(
    Type.Object({
      bank_name: Type.String(),
      full_bank_name: Type.String(),
      masked_account_number: Nullable(Type.String()),
      months: Type.Array(Month),
      statements: Type.Integer(),
    }),
  ),
  modes: Type.Array(Mode),
  banks: Type.Array(
    Type.Object({
      name: Type.String(),
      full_name: Type.String(),
      logo_url: Url,
      modes: Type.Array(Mode),
      initials: Type.String({ description: 'Badge text (SBI, HDFC, BOB).' }),
      terms: Type.Array(Type.String(), { description: 'What a search matches: the full name and common abbreviations, lower case (banks/bank-choice.ts).' }),
      popular: Type.Boolean({ description: 'One of the most used banks, listed first.' }),
    }),
    { description: 'Most used banks first, then the others by name.' },
  ),
  redirect_origin: Nullable(Type.String()),
  aa_mobile_number: Nullable(Type.String({ description: 'The mobile number the lender gave, masked (XXXXXX3210), for the Account Aggregator screen.' })),
  is_mobile_field_editable: Type.Boolean(),
  aa_consent: Nullable(
    Type.Object(
      {
        purpose: Type.String(),
        recurring: Nullable(Type.Object({ tenure_months: Type.Integer(), frequency_unit: Type.String(), frequency_value: Type.Integer(), fetch_now: Type.Boolean() })),
      },
      { description: 'What an Account Aggregator consent for this session asks, for the AA screen (null unless mode is aa).' },
    ),
  ),
  parent_origins: Type.Array(Type.String(), { description: 'Where the page may send iframe events.' }),
});

const JourneyUpload = Type.Object({
  statement_id: Uuid,
  bank_name: Type.String(),
  months: Type.Array(Month),
  missing_months: Type.Array(Month),
  transaction_count: Type.Integer(),
});

const JourneySubmitted = Type.Object({ redirect_url: Nullable(Url), session_id: Uuid, link_id: Type.String() });
const JourneyLeft = Type.Object({ redirect_url: Nullable(Url) });

const UPLOAD_ERRORS = [
  'SESSION_NOT_FOUND', 'SESSION_DELETED', 'SESSION_EXPIRED', 'MODE_NOT_ENABLED', 'MISSING_FILE_OBJECT', 'INVALID_FILE_OBJECT', 'EMPTY_FILE',
  'INVALID_BANK_NAME', 'PASSWORD_INCORRECT', 'PDF_IS_IMAGE', 'STATEMENT_UNSUPPORTED_FORMAT', 'STATEMENT_DUPLICATE', 'STATEMENT_TOO_MANY_PAGES',
  'OUT_OF_DATE_RANGE', 'BANK_NAME_UNDETECTED', 'BANK_NAME_MISMATCH',
] as const;

/** In plain words, what the AA consent will ask (usecases/aa-consent.ts consentTerms decides the same). */
function aaConsentView(session: Session) {
  const aa = session.aa;
  if (session.mode !== 'aa' || !aa) return null;
  const recurring = aa.journeyMode !== 'only_once' && aa.recurringTenureMonth && aa.recurringFrequencyUnit && aa.recurringFrequencyValue;
  return {
    purpose: recurring ? 'Explicit consent for monitoring of the accounts' : 'Aggregated statement',
    recurring: recurring
      ? { tenure_months: aa.recurringTenureMonth!, frequency_unit: aa.recurringFrequencyUnit!, frequency_value: aa.recurringFrequencyValue!, fetch_now: aa.journeyMode === 'once_with_recurring' }
      : null,
  };
}

export function journeyApiRoutes(router: Router, deps: Deps): void {
  const base = '/journey/api/sessions/:session_id';
  const params = Type.Object({ session_id: Type.String() });

  router.route({
    method: 'GET',
    url: base,
    auth: 'none',
    summary: 'What the journey page shows: the session, its accounts so far, and the banks to choose from',
    params,
    querystring: Type.Object({
      token: Type.Optional(Type.String({ description: 'The signed token of the journey link (Session API v2 sessions need it; 404 without it or with a wrong one).' })),
    }),
    responses: { 200: { description: 'The journey', json: JourneyView } },
    errors: ['SESSION_NOT_FOUND'],
    async handler({ path, request }) {
      const { token } = request.query as { token?: unknown };
      const view = await openJourney(deps, path.session_id, typeof token === 'string' ? token : undefined);
      const { session } = view;
      const covered = new Set(view.accounts.flatMap((a) => a.months));
      return {
        headers: { 'cache-control': 'no-store' },
        body: {
          session_id: session.sessionId,
          link_id: session.linkId,
          lender_name: view.client.name,
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
          banks: bankChoices(deps.banks.all())
            .map(({ bank: b, initials, terms, popular }) => ({
              name: b.name,
              full_name: b.full_name,
              logo_url: bankLogoUrl(deps.config.publicUrl, b.name),
              modes: view.modes.filter((m) => deps.banks.offers(b, m)),
              initials,
              terms,
              popular,
            }))
            .filter((b) => b.modes.length > 0),
          redirect_origin: session.redirectUrl ? new URL(session.redirectUrl).origin : null,
          aa_mobile_number: session.mobileNumber ? maskAccountNumber(session.mobileNumber) : null,
          is_mobile_field_editable: session.isMobileFieldEditable,
          aa_consent: aaConsentView(session),
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
    summary: 'The user uploads a statement PDF',
    params,
    requestBody: {
      consumes: ['multipart/form-data'],
      fields: {},
      extra: {
        file: Type.String({ format: 'binary', description: 'The statement PDF.' }),
        bank_name: Type.String({ description: 'The bank the user chose.' }),
        pdf_password: Type.String({ description: 'Password of a protected PDF; never stored or logged.' }),
      },
    },
    description: 'BANK_NAME_MISMATCH carries `detected_bank` ({ name, full_name }) beside the error: the bank the statement is from.',
    responses: { 200: { description: 'Parsed and stored', json: JourneyUpload } },
    errors: UPLOAD_ERRORS,
    async handler({ path, request }) {
      const view = await viewJourney(deps, path.session_id);
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
        channel: 'journey',
      }).catch((error: unknown) => {
        // The page tells the user which bank the file is from, so they know what to upload instead.
        if (!(error instanceof BankMismatchError)) throw error;
        const detected = deps.banks.find(error.detectedBank);
        throw new AppError(error.code, error.message, { detected_bank: { name: error.detectedBank, full_name: detected?.full_name ?? error.detectedBank } });
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
    summary: 'The user is done: the lender is told, and the page goes to the signed redirect',
    params,
    responses: { 200: { description: 'Submitted', json: JourneySubmitted } },
    errors: ['SESSION_NOT_FOUND', 'SESSION_DELETED', 'SESSION_EXPIRED', 'MISSING_FILE_OBJECT'],
    async handler({ path }) {
      const { redirectUrl, session } = await completeJourney(deps, path.session_id);
      return { body: { redirect_url: redirectUrl, session_id: session.sessionId, link_id: session.linkId } };
    },
  });

  router.route({
    method: 'POST',
    url: `${base}/exit`,
    auth: 'none',
    summary: 'The user leaves without submitting',
    params,
    responses: { 200: { description: 'Where to go', json: JourneyLeft } },
    errors: ['SESSION_NOT_FOUND'],
    async handler({ path }) {
      return { body: { redirect_url: (await exitJourney(deps, path.session_id)).redirectUrl } };
    },
  });
}
