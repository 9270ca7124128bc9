/**
 * BankConnect wire shapes of a session, its accounts and statements: each declared once as a
 * TypeBox schema, which documents it in /openapi.json and types the function that renders
 * it. The account shapes are shared by the data APIs and the webhook payloads (which must
 * say the same thing as session_upload_status and session_status).
 */
import { Type, type Static } from 'typebox';
import type { BankCatalogue } from '../banks/bank-catalogue.ts';
import { uploadStatus, type AccountSummary, type StatementSummary } from '../domain/account.ts';
import { AA_CONSENT_STATUSES, AA_FI_STATUSES, type AaConsent, type AaFiRequest } from '../domain/aa-consent.ts';
import { MODES } from '../domain/client.ts';
import { AA_CONSENT_TEMPLATES, AA_FREQUENCY_UNITS, AA_JOURNEY_CODE_NAMES, AA_JOURNEY_MODES, JOURNEY_MODES, METADATA_LISTS, type AaSettings, type Session } from '../domain/session.ts';
import { formatDayMonthYear, type CalendarDate } from '../lib/calendar-date.ts';
import { maskAccountNumber } from './statement-wire.ts';
import {
  dateTime,
  DateTimeMicroText,
  dateTimeMicro,
  DateTimeText,
  DayMonthYear,
  IsoDate,
  IsoDateTime,
  Month,
  Nullable,
  OneOf,
  Url,
  Uuid,
} from './wire-formats.ts';

const ddmmyyyy = (d: CalendarDate | null) => d && formatDayMonthYear(d);

/** `POST session/`. */
export const CreateSessionResponse = Type.Object({ session_id: Uuid, redirect_url: Url });

export const SessionDetails = Type.Object({
  session_id: Uuid,
  api_version: Type.Union([Type.Literal(1), Type.Literal(2)], { description: 'The Session API version that created the session; v2 journey links carry a signed token.' }),
  link_id: Type.String(),
  status: OneOf(['created', 'expired']),
  created_at: IsoDateTime,
  expires_at: IsoDateTime,
  from_date: DayMonthYear,
  to_date: DayMonthYear,
  months: Type.Array(Month),
  max_from_date: Nullable(DayMonthYear),
  max_to_date: Nullable(DayMonthYear),
  bank_name: Nullable(Type.String()),
  mode: Nullable(OneOf(MODES)),
  journey_mode: Nullable(OneOf(JOURNEY_MODES)),
  redirect_url: Nullable(Url),
  logo_url: Nullable(Url),
  mobile_number: Nullable(Type.String()),
  is_mobile_field_editable: Type.Boolean(),
  accept_anything: Type.Boolean(),
  aa: Nullable(
    Type.Object({
      journey_mode: OneOf(AA_JOURNEY_MODES),
      recurring_tenure_month: Nullable(Type.Integer()),
      recurring_frequency_unit: Nullable(OneOf(AA_FREQUENCY_UNITS)),
      recurring_frequency_value: Nullable(Type.Integer()),
      journey_code: Type.Union([OneOf(AA_JOURNEY_CODE_NAMES), Type.Null()], { description: 'Session API v2 sessions: the aa_journey_code (BCAA001 when none was sent); null for v1 sessions.' }),
      consents: Type.Union(
        [Type.Record(
          Type.String({ pattern: '^CC[0-9]{4}$' }),
          Type.Object({
            template: OneOf(Object.keys(AA_CONSENT_TEMPLATES) as (keyof typeof AA_CONSENT_TEMPLATES)[]),
            kind: OneOf(Object.values(AA_CONSENT_TEMPLATES)),
            from_date: DayMonthYear,
            to_date: DayMonthYear,
            consent_expiry: DayMonthYear,
            fetched_by_passbook: Type.Boolean({ description: 'false for the collections consent (CT035, BCAA004): stored as asked, never raised at the AA nor fetched.' }),
          }),
        ), Type.Null()],
        { description: "Session API v2 sessions: each consent of the journey code as it will be asked for (generated dates, overridden by the request's consents); null for v1 sessions." },
      ),
    }),
  ),
  metadata: Nullable(
    Type.Object(Object.fromEntries(METADATA_LISTS.map((k) => [k, Type.Optional(Type.Array(Type.String()))])) as Record<
      (typeof METADATA_LISTS)[number],
      Type.TOptional<Type.TArray<Type.TString>>
    >),
  ),
});
export type SessionDetails = Static<typeof SessionDetails>;

export const StatementStatus = Type.Object({
  statement_id: Uuid,
  statement_status: Type.Literal('completed'),
  error_code: Type.Null(),
  error_message: Type.Null(),
  source: OneOf(['pdf', 'aa']),
  upload_file_name: Nullable(Type.String()),
  statement_date_range: Type.Object({ from_date: Nullable(DayMonthYear), to_date: Nullable(DayMonthYear) }),
  created_at: DateTimeMicroText,
});
export type StatementStatus = Static<typeof StatementStatus>;

const MissingData = Type.Array(Type.Object({ from_date: IsoDate, to_date: IsoDate }));

export const UploadAccount = Type.Object({
  account_id: Uuid,
  account_number: Nullable(Type.String()),
  bank_name: Type.String(),
  created_at: DateTimeText,
  last_updated_at: DateTimeText,
  statements: Type.Array(StatementStatus),
  account_status: OneOf(['COMPLETED', 'PARTIAL']),
  months: Type.Array(Month),
  missing_data: MissingData,
  name: Type.String(),
  account_type: Type.String(),
  full_bank_name: Type.String(),
});
export type UploadAccount = Static<typeof UploadAccount>;

export const StatusAccount = Type.Object({
  name: Nullable(Type.String()),
  account_category: OneOf(['individual', 'corporate']),
  account_id: Uuid,
  account_number: Nullable(Type.String()),
  bank_name: Type.String(),
  error_code: Nullable(Type.String()),
  error_message: Nullable(Type.String()),
  account_status: OneOf(['completed', 'failed', 'processing']),
  created_at: DateTimeText,
  last_updated_at: DateTimeText,
  statements: Type.Array(StatementStatus),
  attempt_types: Type.Array(OneOf(['PDF', 'AA'])),
  account_type: Nullable(OneOf(['SAVINGS', 'CURRENT', 'OVERDRAFT'])),
  full_bank_name: Type.String(),
});
export type StatusAccount = Static<typeof StatusAccount>;

/** `session_upload_status/`. */
/**
 * The session's Account Aggregator request, beside BankConnect's fields (a Passbook addition,
 * docs/aa.md "States"): null for sessions without one.
 */
export const AaStatus = Nullable(
  Type.Object({
    fetch_type: OneOf(['ONETIME', 'PERIODIC']),
    consent_status: OneOf(AA_CONSENT_STATUSES),
    fi_status: Nullable(OneOf(AA_FI_STATUSES)),
    error_code: Nullable(Type.String()),
    accounts: Type.Array(
      Type.Object({
        fip_id: Type.String(),
        masked_account_number: Nullable(Type.String()),
        fi_status: Type.String(),
        statement_id: Nullable(Uuid),
        error_code: Nullable(Type.String()),
      }),
    ),
  }),
);

export function renderAaStatus(aa: { consent: AaConsent; fi: AaFiRequest | null } | null): Static<typeof AaStatus> {
  if (!aa) return null;
  const { consent, fi } = aa;
  const accounts = fi?.accounts.length ? fi.accounts : (consent.accounts ?? []).map((a) => ({ ...a, fiStatus: 'PENDING', statementId: null, errorCode: null }));
  return {
    fetch_type: consent.fetchType,
    consent_status: consent.status,
    fi_status: fi?.status ?? null,
    error_code: fi?.errorCode ?? consent.errorCode ?? (consent.status === 'ACTIVE' || consent.status === 'PENDING' ? null : `CONSENT_${consent.status}`),
    accounts: accounts.map((a) => ({ fip_id: a.fipId, masked_account_number: a.maskedAccNumber, fi_status: a.fiStatus, statement_id: a.statementId, error_code: a.errorCode })),
  };
}

export const UploadStatusResponse = Type.Object({
  session_id: Uuid,
  session_date_range: Type.Object({ from_date: DayMonthYear, to_date: DayMonthYear }),
  upload_status: OneOf(['COMPLETED', 'EXPIRED', 'NO_UPLOAD', 'IN_PROGRESS']),
  session_expiry_timestamp: DateTimeText,
  accounts: Type.Array(UploadAccount),
  error: Type.Object({}, { additionalProperties: false }),
  aa_status: AaStatus,
});

const ProcessingState = OneOf(['completed', 'processing']);

/** `progress/`. */
export const ProgressResponse = Type.Object({
  session_id: Uuid,
  session_progress: ProcessingState,
  progress: Type.Array(
    Type.Object({
      identity_status: Type.Literal('completed'),
      transaction_status: Type.Literal('completed'),
      processing_status: ProcessingState,
      fraud_status: ProcessingState,
      statement_id: Uuid,
      message: Type.Null(),
      source: OneOf(['pdf', 'aa']),
    }),
  ),
});

/** `session_status/`. */
export const SessionStatusResponse = Type.Object({
  session_id: Uuid,
  insights_available: Type.Boolean(),
  accounts: Type.Array(StatusAccount),
  aa_status: AaStatus,
});

/** `get_pdfs/`. */
export const PdfLinksResponse = Type.Object({
  statements: Type.Array(
    Type.Object({
      statement_id: Uuid,
      bank_name: Type.String(),
      pdf_password: Type.Null(),
      pdf_url: Nullable(Url),
      account_id: Uuid,
      source: OneOf(['PDF', 'AA']),
      message: Type.Literal('Success'),
    }),
  ),
});

/** `initiate_processing/` (202) and `delete/`. */
export const SessionAcknowledged = Type.Object({ session_id: Uuid, message: Type.Literal('success') });

export function renderAcknowledged(sessionId: string): Static<typeof SessionAcknowledged> {
  return { session_id: sessionId, message: 'success' };
}

export function renderStatement(s: StatementSummary): StatementStatus {
  return {
    statement_id: s.statementId,
    statement_status: 'completed',
    error_code: null,
    error_message: null,
    source: s.source,
    upload_file_name: s.uploadFileName,
    statement_date_range: { from_date: ddmmyyyy(s.fromDate), to_date: ddmmyyyy(s.toDate) },
    created_at: dateTimeMicro(s.createdAt),
  };
}

export function renderUploadAccount(banks: BankCatalogue, a: AccountSummary): UploadAccount {
  return {
    account_id: a.accountId,
    account_number: a.accountNumber,
    bank_name: a.bankName,
    created_at: dateTime(a.createdAt),
    last_updated_at: dateTime(a.updatedAt),
    statements: a.statements.map(renderStatement),
    account_status: a.complete ? 'COMPLETED' : 'PARTIAL',
    months: a.months,
    missing_data: a.missing.map((g) => ({ from_date: g.from, to_date: g.to })),
    name: a.identity.name ?? '',
    account_type: a.identity.accountType ?? '',
    full_bank_name: banks.find(a.bankName)?.full_name ?? a.bankName,
  };
}

export function renderStatusAccount(banks: BankCatalogue, a: AccountSummary): StatusAccount {
  return {
    name: a.identity.name,
    account_category: a.identity.accountCategory,
    account_id: a.accountId,
    account_number: maskAccountNumber(a.accountNumber),
    bank_name: a.bankName,
    error_code: a.errorCode,
    error_message: a.errorMessage,
    account_status: a.processingStatus ?? 'processing',
    created_at: dateTime(a.createdAt),
    last_updated_at: dateTime(a.updatedAt),
    statements: a.statements.map(renderStatement),
    attempt_types: [...new Set(a.statements.map((s) => (s.source === 'aa' ? ('AA' as const) : ('PDF' as const))))],
    account_type: a.identity.accountType,
    full_bank_name: banks.find(a.bankName)?.full_name ?? a.bankName,
  };
}

/** `details/`: the stored session, normalised. */
function renderConsents(aa: AaSettings): NonNullable<SessionDetails['aa']>['consents'] {
  if (!aa.consents) return null;
  return Object.fromEntries(
    Object.entries(aa.consents).map(([code, c]) => [
      code,
      {
        template: c.template,
        kind: AA_CONSENT_TEMPLATES[c.template],
        from_date: formatDayMonthYear(c.fromDate),
        to_date: formatDayMonthYear(c.toDate),
        consent_expiry: formatDayMonthYear(c.consentExpiry),
        fetched_by_passbook: AA_CONSENT_TEMPLATES[c.template] !== 'collections',
      },
    ]),
  );
}

export function renderSessionDetails(s: Session): SessionDetails {
  return {
    session_id: s.sessionId,
    api_version: s.apiVersion,
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
      journey_code: s.aa.journeyCode ?? null,
      consents: renderConsents(s.aa),
    },
    metadata: s.metadata,
  };
}

export function renderUploadStatus(banks: BankCatalogue, session: Session, accounts: AccountSummary[], aa: AaView = null): Static<typeof UploadStatusResponse> {
  const aaInFlight = aa !== null && (aa.consent.status === 'PENDING' || (aa.consent.status === 'ACTIVE' && (aa.fi === null || aa.fi.status === 'REQUESTED')));
  return {
    session_id: session.sessionId,
    session_date_range: { from_date: formatDayMonthYear(session.fromDate), to_date: formatDayMonthYear(session.toDate) },
    upload_status: uploadStatus(session, accounts, aaInFlight),
    session_expiry_timestamp: dateTime(session.expiresAt),
    accounts: accounts.map((a) => renderUploadAccount(banks, a)),
    error: {},
    aa_status: renderAaStatus(aa),
  };
}

type AaView = { consent: AaConsent; fi: AaFiRequest | null } | null;

export function renderProgress(session: Session, accounts: AccountSummary[]): Static<typeof ProgressResponse> {
  const status = session.processingCompletedAt !== null ? 'completed' : 'processing';
  return {
    session_id: session.sessionId,
    session_progress: status,
    progress: accounts.flatMap((a) =>
      a.statements.map((s) => ({
        identity_status: 'completed' as const,
        transaction_status: 'completed' as const,
        processing_status: status,
        fraud_status: status,
        statement_id: s.statementId,
        message: null,
        source: s.source,
      })),
    ),
  };
}

export function renderSessionStatus(banks: BankCatalogue, session: Session, accounts: AccountSummary[], aa: AaView = null): Static<typeof SessionStatusResponse> {
  return { session_id: session.sessionId, insights_available: accounts.length > 0, accounts: accounts.map((a) => renderStatusAccount(banks, a)), aa_status: renderAaStatus(aa) };
}

export function renderPdfLinks(links: { account: Pick<AccountSummary, 'bankName' | 'accountId'>; statementId: string; source: 'pdf' | 'aa'; url: string | null }[]): Static<typeof PdfLinksResponse> {
  return {
    statements: links.map(({ account, statementId, source, url }) => ({
      statement_id: statementId,
      bank_name: account.bankName,
      pdf_password: null,
      pdf_url: url,
      account_id: account.accountId,
      source: source === 'aa' ? ('AA' as const) : ('PDF' as const),
      message: 'Success' as const,
    })),
  };
}
