/** Wire shapes of the console API (and of console users in the admin API and the CLI). */
import { Type, type Static } from 'typebox';
import type { Client } from '../domain/client.ts';
import { CONSOLE_ROLES, type AuditEntry, type ConsoleRole, type ConsoleUser } from '../domain/console-user.ts';
import { fieldError } from '../errors/codes.ts';
import { validateFields, type Fields } from './fields.ts';
import { IsoDate, IsoDateTime, Month, Nullable, OneOf, Uuid } from './wire-formats.ts';
import { CONSOLE_STATUSES, type ConsoleSession, type SessionListRow, type TimelineEntry } from '../domain/console-session.ts';
import type { AccountSummary } from '../domain/account.ts';

export const MAX_CONSOLE_PARAMETERS = 10;

/** A deliberately loose check: one @, something on each side, a dot in the domain; the mail is the real test. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 12;
/** scrypt takes any length; a bound keeps a request from asking it to hash megabytes. */
export const MAX_PASSWORD_LENGTH = 256;

export const signInFields = {
  email: { type: 'string', required: true, maxLength: 254, description: 'The console user’s email address (any case).' },
  password: { type: 'string', required: true, maxLength: MAX_PASSWORD_LENGTH, description: 'The password; never stored or logged.' },
} as const satisfies Fields;

export const newUserFields = {
  email: { type: 'string', required: true, maxLength: 254, description: 'Email address; one console user per address across all clients.' },
  name: { type: 'string', required: true, maxLength: 100, description: 'The person’s name, as shown in the console and the audit log.' },
  role: { type: 'choice', choices: CONSOLE_ROLES, required: true, description: 'admin: settings, keys and users besides what an analyst may; analyst: read, download, replay.' },
  password: {
    type: 'string',
    maxLength: MAX_PASSWORD_LENGTH,
    description: `At least ${MIN_PASSWORD_LENGTH} characters. Left out, one is generated and shown once in the answer.`,
  },
} as const satisfies Fields;

/** A new user's fields, validated (with the rules `validateFields` cannot express); a null password is to be generated. */
export function readNewUser(params: Record<string, unknown>): { email: string; name: string; role: ConsoleRole; password: string | null } {
  const v = validateFields(newUserFields, params);
  if (!EMAIL.test(v.email.trim())) throw fieldError('email', 'Enter a valid email address.');
  if (v.name.trim() === '') throw fieldError('name', 'This field may not be blank.');
  if (v.password !== undefined && [...v.password].length < MIN_PASSWORD_LENGTH) {
    throw fieldError('password', `Ensure this field has at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  return { email: v.email, name: v.name, role: v.role, password: v.password ?? null };
}

export const ConsoleUserWire = Type.Object({
  user_id: Uuid,
  client_id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: OneOf(CONSOLE_ROLES),
  disabled_at: Nullable(IsoDateTime),
  created_at: IsoDateTime,
});

export function renderConsoleUser(user: ConsoleUser): Static<typeof ConsoleUserWire> {
  return {
    user_id: user.userId,
    client_id: user.clientId,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled_at: user.disabledAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
}

export const NewConsoleUserWire = Type.Object({
  user: ConsoleUserWire,
  password: Nullable(Type.String({ description: 'The generated password, shown this once; null when one was given.' })),
});

export function renderNewUser(created: { user: ConsoleUser; password: string | null }): Static<typeof NewConsoleUserWire> {
  return { user: renderConsoleUser(created.user), password: created.password };
}

export const ConsoleUserList = Type.Object({ count: Type.Integer(), users: Type.Array(ConsoleUserWire) });

export const SignedInWire = Type.Object({
  user: ConsoleUserWire,
  client: Type.Object({ client_id: Uuid, name: Type.String(), plan_status: Type.String() }),
  csrf_token: Type.String({ description: 'Send it back as x-csrf-token on every console request but GET.' }),
});

export function renderSignedIn(signedIn: { user: ConsoleUser; client: Client; csrfToken: string }): Static<typeof SignedInWire> {
  return {
    user: renderConsoleUser(signedIn.user),
    client: { client_id: signedIn.client.clientId, name: signedIn.client.name, plan_status: signedIn.client.planStatus },
    csrf_token: signedIn.csrfToken,
  };
}

export const AuditEntryWire = Type.Object({
  seq: Type.String({ description: 'Order of entries; pass as `before` to page back.' }),
  actor: Type.String({ description: 'The user’s email, or admin-api, cli, demo.' }),
  user_id: Nullable(Uuid),
  action: Type.String({ examples: ['user.create', 'sign_in', 'webhook.replay'] }),
  target: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  at: IsoDateTime,
});

export const AuditLogWire = Type.Object({ entries: Type.Array(AuditEntryWire), next_before: Nullable(Type.String()) });

export function renderAuditEntry(entry: AuditEntry): Static<typeof AuditEntryWire> {
  return { seq: String(entry.seq), actor: entry.actor, user_id: entry.userId, action: entry.action, target: entry.target, details: entry.details, at: entry.at.toISOString() };
}

export const ConsoleSessionStatusWire = OneOf(CONSOLE_STATUSES);

const SessionRowFields = {
  session_id: Uuid,
  link_id: Type.String(),
  status: ConsoleSessionStatusWire,
  mode: Nullable(Type.String()),
  journey_mode: Nullable(Type.String()),
  bank_name: Nullable(Type.String({ description: 'The bank the session was created for, if any.' })),
  banks: Type.Array(Type.String(), { description: 'Banks of the statements shared so far.' }),
  statement_count: Type.Integer(),
  from_date: IsoDate,
  to_date: IsoDate,
  created_at: IsoDateTime,
  expires_at: IsoDateTime,
};

export const ConsoleSessionRow = Type.Object(SessionRowFields);

export const ConsoleSessionList = Type.Object({
  count: Type.Integer({ description: 'Sessions matching every filter.' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'Sessions per status for the other filters (status left out).' }),
  results: Type.Array(ConsoleSessionRow),
});

export function renderSessionRow(row: SessionListRow): Static<typeof ConsoleSessionRow> {
  return {
    session_id: row.sessionId,
    link_id: row.linkId,
    status: row.status,
    mode: row.mode,
    journey_mode: row.journeyMode,
    bank_name: row.bankName,
    banks: row.banks,
    statement_count: row.statementCount,
    from_date: row.fromDate,
    to_date: row.toDate,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
  };
}

const StatementWire = Type.Object({
  statement_id: Uuid,
  account_id: Uuid,
  bank_name: Type.String(),
  file_name: Nullable(Type.String()),
  source: Type.String({ description: 'pdf, or aa for Account Aggregator data.' }),
  page_count: Nullable(Type.Integer()),
  from_date: Nullable(IsoDate),
  to_date: Nullable(IsoDate),
  reconciled: Nullable(Type.Boolean({ description: 'Balances add up row by row; null when the statement prints none.' })),
  uploaded_at: IsoDateTime,
  fraud: Type.Array(Type.Object({ fraud_type: Type.String(), description: Type.String() })),
});

export const ConsoleSessionDetail = Type.Object({
  session: Type.Object({
    ...SessionRowFields,
    months: Type.Array(Month),
    journey_url: Type.String({ description: 'The hosted journey: send it to the borrower.' }),
    redirect_url: Nullable(Type.String({ description: "Where the journey sends the borrower at the end (the lender's page)." })),
    user_completed_at: Nullable(IsoDateTime),
    processing_requested_at: Nullable(IsoDateTime),
    processing_completed_at: Nullable(IsoDateTime),
    deleted_at: Nullable(IsoDateTime),
  }),
  accounts: Type.Array(
    Type.Object({
      account_id: Uuid,
      bank_name: Type.String(),
      account_number: Nullable(Type.String()),
      account_holder: Nullable(Type.String()),
      months_covered: Type.Array(Month),
      missing_months: Type.Array(Month, { description: 'Months asked for that no statement of the account covers.' }),
      processing_status: Nullable(OneOf(['completed', 'failed'])),
    }),
  ),
  statements: Type.Array(StatementWire),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function renderConsoleSession(detail: ConsoleSession): Static<typeof ConsoleSessionDetail> {
  const { session, accounts } = detail;
  const banks = [...new Set(accounts.filter((a) => a.statements.length > 0).map((a) => a.bankName))].sort();
  return {
    session: {
      session_id: session.sessionId,
      link_id: session.linkId,
      status: detail.status,
      mode: session.mode,
      journey_mode: session.journeyMode,
      bank_name: session.bankName,
      banks,
      statement_count: accounts.reduce((n, a) => n + a.statements.length, 0),
      from_date: session.fromDate,
      to_date: session.toDate,
      created_at: session.createdAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      months: session.months,
      journey_url: detail.journeyUrl,
      redirect_url: session.redirectUrl,
      user_completed_at: iso(session.userCompletedAt),
      processing_requested_at: iso(session.processingRequestedAt),
      processing_completed_at: iso(session.processingCompletedAt),
      deleted_at: iso(session.deletedAt),
    },
    accounts: accounts.map((a) => ({
      account_id: a.accountId,
      bank_name: a.bankName,
      account_number: a.accountNumber,
      account_holder: a.identity.name,
      months_covered: a.months,
      missing_months: session.months.filter((m) => !a.months.includes(m)),
      processing_status: a.processingStatus,
    })),
    statements: accounts.flatMap((a) =>
      a.statements.map((s) => ({
        statement_id: s.statementId,
        account_id: a.accountId,
        bank_name: a.bankName,
        file_name: s.uploadFileName,
        source: s.source,
        page_count: s.pageCount,
        from_date: s.fromDate,
        to_date: s.toDate,
        reconciled: s.reconciled,
        uploaded_at: s.createdAt.toISOString(),
        fraud: s.fraudFindings.map((f) => ({ fraud_type: f.fraudType, description: f.reason })),
      })),
    ),
  };
}

const TIMELINE_KINDS = [
  'created', 'journey_opened', 'statement_stored', 'upload_refused', 'aa_consent_requested', 'user_submitted',
  'processing_requested', 'processing_completed', 'webhook', 'expired', 'deleted',
] as const satisfies readonly TimelineEntry['kind'][];

/** One timeline entry: `kind` and `at`, and the fields of its kind (the others absent). */
export const TimelineEntryWire = Type.Object({
  kind: OneOf(TIMELINE_KINDS),
  at: IsoDateTime,
  statement_id: Type.Optional(Uuid),
  bank_name: Type.Optional(Type.String()),
  file_name: Type.Optional(Nullable(Type.String())),
  source: Type.Optional(Nullable(Type.String({ description: 'pdf or aa for a stored statement; file, base64 or file_url for a refused upload' }))),
  page_count: Type.Optional(Nullable(Type.Integer())),
  fraud_findings: Type.Optional(Type.Integer({ description: 'How many fraud findings the statement has' })),
  error_code: Type.Optional(Nullable(Type.String({ description: "A refused upload's error code, or a failed account's" }))),
  message: Type.Optional(Type.String({ description: 'Why the upload was refused, as the uploader was told' })),
  channel: Type.Optional(OneOf(['api', 'journey'] as const)),
  detected_bank: Type.Optional(Nullable(Type.String())),
  fetch_type: Type.Optional(Type.String()),
  status: Type.Optional(Nullable(Type.String({ description: "A consent's, an account's processing or a webhook's status" }))),
  accounts: Type.Optional(Type.Array(Type.Object({ bank_name: Type.String(), status: Nullable(Type.String()), error_code: Nullable(Type.String()) }))),
  event_id: Type.Optional(Uuid),
  event_name: Type.Optional(Type.String()),
  attempts: Type.Optional(Type.Integer()),
  last_status_code: Type.Optional(Nullable(Type.Integer())),
  last_error: Type.Optional(Nullable(Type.String())),
});
export const ConsoleTimelineWire = Type.Object({ entries: Type.Array(TimelineEntryWire) });

export function renderTimelineEntry(entry: TimelineEntry): Static<typeof TimelineEntryWire> {
  const at = entry.at.toISOString();
  switch (entry.kind) {
    case 'statement_stored':
      return { kind: entry.kind, at, statement_id: entry.statementId, bank_name: entry.bankName, file_name: entry.fileName, source: entry.source, page_count: entry.pageCount, fraud_findings: entry.fraudFindings };
    case 'upload_refused':
      return { kind: entry.kind, at, error_code: entry.code, message: entry.message, channel: entry.channel === 'journey' ? 'journey' : 'api', source: entry.source, file_name: entry.fileName, detected_bank: entry.detectedBank };
    case 'aa_consent_requested':
      return { kind: entry.kind, at, fetch_type: entry.fetchType, status: entry.status };
    case 'processing_completed':
      return { kind: entry.kind, at, accounts: entry.accounts.map((a) => ({ bank_name: a.bankName, status: a.status, error_code: a.errorCode })) };
    case 'webhook':
      return { kind: entry.kind, at, event_id: entry.eventId, event_name: entry.eventName, status: entry.status, attempts: entry.attempts, last_status_code: entry.lastStatusCode, last_error: entry.lastError };
    default:
      return { kind: entry.kind, at };
  }
}

export const ConsoleReportsWire = Type.Object({
  session_report_url: Type.String({ description: "The session's workbook (every account); a one-hour signed link" }),
  accounts: Type.Array(
    Type.Object({ account_id: Uuid, bank_name: Type.String(), account_number: Nullable(Type.String()), report_url: Type.String({ description: "The account's workbook; a one-hour signed link" }) }),
  ),
});

export function renderReports(links: { session: string; accounts: { account: AccountSummary; url: string }[] }): Static<typeof ConsoleReportsWire> {
  return {
    session_report_url: links.session,
    accounts: links.accounts.map(({ account, url }) => ({ account_id: account.accountId, bank_name: account.bankName, account_number: account.accountNumber, report_url: url })),
  };
}
