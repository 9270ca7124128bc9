/**
 * The entity flow's wire (../shared/reference/bankconnect-api.md §2.15, §4.6, §5.2):
 * request fields, response schemas with their renderers, and the one mapping of Passbook's
 * error codes onto the entity flow's two error styles:
 * - uploads: a numeric `status` (0 a field, 2 trial expired, 3 password, 4 wrong bank, 5 bank
 *   not detected, 6 not parsable, 7 unsupported format) with the message strings clients match;
 * - everything else: Django REST framework's `{"detail": …}` and `{"<field>": ["…"]}`.
 * The data endpoints' bodies are cut from the session flow's account data (insights-wire.ts),
 * so both flows show the same numbers.
 */
import { Type, type Static, type TSchema } from 'typebox';
import type { AccountSummary } from '../domain/account.ts';
import type { AccountAnalysis } from '../domain/insights.ts';
import { toRupeesOrNull } from '../domain/money.ts';
import { ERROR_CODES, type AppError, type ErrorCode } from '../errors/codes.ts';
import type { ErrorWire } from './error-wire.ts';
import type { Fields } from './fields.ts';
import { renderAccountData, metricValue, type AccountData } from './insights-wire.ts';
import { entityPredictors } from '../analysis/entity-predictors.ts';
import { expenseCategoriesOf } from '../analysis/expense-categories.ts';
import { predictorUnit } from '../analysis/metric-units.ts';
import type { MetricValue } from '../domain/insights.ts';
import { dateTime, IsoDate, Month, Nullable, OneOf, Uuid } from './wire-formats.ts';

// ---------------------------------------------------------------- requests

export const createEntityFields = {
  link_id: { type: 'string', required: true, maxLength: 500, description: "Your user's identifier; one entity per link_id." },
} as const satisfies Fields;

/** The upload form besides `file` and `pdf_password`, which are taken as sent. */
export const entityUploadFields = {
  link_id: { type: 'string', maxLength: 500, description: 'Your user\'s identifier: the statement goes to its entity, created on first use. Required unless entity_id is given.' },
  entity_id: { type: 'string', maxLength: 64, description: 'The entity to upload into; wins over link_id.' },
  bank_name: { type: 'string', maxLength: 50, description: 'Bank identifier (case-insensitive); when omitted the bank is detected, as bankless_upload does.' },
  bank: { type: 'string', maxLength: 50, description: 'Older clients\' name for bank_name.' },
  file_url: { type: 'url', maxLength: 2048, tooLong: 'INVALID_REQUEST', description: 'Instead of `file`: an http(s) URL Passbook downloads the PDF from.' },
} as const satisfies Fields;

export const webhookPayloadsQuery = {
  link_id: { type: 'string', required: true, maxLength: 500, description: 'Whose payloads.' },
} as const satisfies Fields;

// ---------------------------------------------------------------- errors

/** The upload statuses the reference lists besides 1 (success), with their messages. */
const UPLOAD_STATUS: Partial<Record<ErrorCode, { status: number; message: string }>> = {
  TRIAL_PERIOD_EXPIRED: { status: 2, message: ERROR_CODES.TRIAL_PERIOD_EXPIRED.message },
  PASSWORD_INCORRECT: { status: 3, message: 'Password incorrect' },
  BANK_NAME_MISMATCH: { status: 4, message: 'Not {bank} statement' },
  BANK_NAME_UNDETECTED: { status: 5, message: 'Unable to detect bank. Please provide BANK NAME.' },
  PDF_IS_IMAGE: { status: 6, message: 'PDF is not parsable' },
  INVALID_FILE_OBJECT: { status: 6, message: 'PDF is not parsable' },
  STATEMENT_TOO_MANY_PAGES: { status: 6, message: 'PDF is not parsable' },
  STATEMENT_UNSUPPORTED_FORMAT: { status: 7, message: 'Unsupported Bank Statement Format. It should have balance, date and amount columns.' },
};

/** Refusals of one field's value: `{"<field>": ["…"]}` (status 0 on uploads). */
const FIELD_OF: Partial<Record<ErrorCode, { field: string; message?: string }>> = {
  MISSING_FILE_OBJECT: { field: 'file', message: 'This field is required.' },
  EMPTY_FILE: { field: 'file', message: 'The submitted file is empty.' },
  INVALID_BASE_64: { field: 'file', message: 'Invalid Base 64 string' },
  STATEMENT_DUPLICATE: { field: 'file' },
  PAYLOAD_TOO_LARGE: { field: 'file' },
  INVALID_FILE_URL: { field: 'file_url' },
  INVALID_LENGTH: { field: 'file_url' },
  INVALID_BANK_NAME: { field: 'bank_name' },
  INVALID_URL: { field: 'webhook_url' },
  // The entity was deleted, or concluded through the session flow, while the statement was stored.
  SESSION_DELETED: { field: 'entity_id' },
  SESSION_EXPIRED: { field: 'entity_id' },
  OUT_OF_DATE_RANGE: { field: 'file' },
};

/** DRF's messages for what its views refuse before the view runs. */
const DETAIL: Partial<Record<ErrorCode, { status: number; detail?: string }>> = {
  ACCESS_DENIED: { status: 401, detail: 'Authentication credentials were not provided.' },
  AUTHENTICATION_CREDENTIALS_NOT_PROVIDED: { status: 401, detail: 'Authentication credentials were not provided.' },
  SESSION_NOT_FOUND: { status: 404, detail: 'Not found.' },
  NOT_FOUND: { status: 404 },
};

/**
 * The form-shape refusals the upload reader reports as INVALID_FILE_OBJECT (http/upload-body.ts):
 * the file did not come as a form field (status 0), unlike a file that is no PDF (status 6).
 */
const NOT_A_FORM = /^(This field must be present as a form field|Malformed multipart body)/;

/** `<field>, <message>`: a field's refusal as fields.ts words it. */
const FIELD_MESSAGE = /^([a-z_][a-z0-9_]*), (.+)$/s;

function fieldRefusal(error: AppError): { field: string; message: string } | null {
  const m = error.code === 'INVALID_REQUEST' ? FIELD_MESSAGE.exec(error.message) : null;
  if (m) return { field: m[1]!, message: m[2]! };
  if (error.code === 'INVALID_FILE_OBJECT' && NOT_A_FORM.test(error.message)) return { field: 'file', message: error.message };
  const f = FIELD_OF[error.code];
  // "This file url is invalid: <reason>." and the like keep their reason.
  return f ? { field: f.field, message: f.message ?? error.message.replace(/^webhook_url: /, '') } : null;
}

/** DRF's shapes: the management and data endpoints. */
export function renderEntityError(error: AppError): { status: number; body: Record<string, unknown> } {
  const detail = DETAIL[error.code];
  if (detail) return { status: detail.status, body: { detail: detail.detail ?? error.message } };
  const field = fieldRefusal(error);
  if (field) return { status: error.status === 413 ? 413 : 400, body: { [field.field]: [field.message] } };
  return { status: error.status, body: { detail: error.message } };
}

/**
 * The upload endpoints' shapes: a refusal of the statement carries `entity_id` (once known; the
 * upload route passes it in the error's envelope extras), its `message` and `status`.
 */
export function renderEntityUploadError(error: AppError): { status: number; body: Record<string, unknown> } {
  const entityId = typeof error.envelopeExtras?.entity_id === 'string' ? error.envelopeExtras.entity_id : null;
  const known = error.code === 'INVALID_FILE_OBJECT' && NOT_A_FORM.test(error.message) ? undefined : UPLOAD_STATUS[error.code];
  if (known) {
    // "Not axis statement": the reference's words for BANK_NAME_MISMATCH, whose message names the bank asked for.
    const message = error.code === 'BANK_NAME_MISMATCH' ? `${error.message.replace(/ bank statement$/, '')} statement` : known.message;
    return { status: ERROR_CODES[error.code].status, body: { entity_id: entityId, message, status: known.status } };
  }
  const drf = renderEntityError(error);
  // A refused request or field is status 0; what DRF refuses before its view runs (authentication,
  // method, media type) and server failures keep DRF's own shape.
  return drf.status === 400 || drf.status === 413 ? { status: drf.status, body: { ...drf.body, status: 0 } } : drf;
}

const Detail = Type.Object({ detail: Type.String(), status: Type.Optional(Type.Literal(0)) }, { additionalProperties: false });
const FieldErrors = Type.Object({ status: Type.Optional(Type.Literal(0)) }, { additionalProperties: Type.Array(Type.String()), minProperties: 1 });
const UploadRefusal = Type.Object(
  { entity_id: Nullable(Uuid), message: Type.String(), status: Type.Integer({ minimum: 2, maximum: 7 }) },
  { additionalProperties: false },
);

export const entityErrorWire: ErrorWire = {
  schemaId: 'EntityError',
  schema: Type.Union([Detail, FieldErrors], { description: 'Django REST framework style: {"detail": "…"} or {"<field>": ["…"]}' }),
  render: renderEntityError,
};

export const entityUploadErrorWire: ErrorWire = {
  schemaId: 'EntityUploadError',
  schema: Type.Union([UploadRefusal, Detail, FieldErrors], {
    description:
      'status 0: a field (`{"<field>": ["…"], "status": 0}`); 2: trial expired; 3: "Password incorrect"; 4: "Not <bank> statement"; 5: "Unable to detect bank. Please provide BANK NAME."; 6: "PDF is not parsable"; 7: "Unsupported Bank Statement Format. It should have balance, date and amount columns."',
  }),
  render: renderEntityUploadError,
};

// ---------------------------------------------------------------- entities

const EntityWire = Type.Object({ entity_id: Uuid, link_id: Type.String(), meta_data: Type.Object({}) });

export const EntityCreated = Type.Object({ entity_id: Uuid });
export const EntityResponse = EntityWire;
export const EntityList = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  next: Nullable(Type.String({ format: 'uri' })),
  previous: Nullable(Type.String({ format: 'uri' })),
  results: Type.Array(EntityWire),
});

export function renderEntity(e: { entityId: string; linkId: string }): Static<typeof EntityWire> {
  // Passbook keeps no entity meta data; an empty object, so that clients reading keys from it keep working.
  return { entity_id: e.entityId, link_id: e.linkId, meta_data: {} };
}

/** DRF's page-number pagination: absolute links to the neighbouring pages, null at the ends. */
export function renderEntityList(
  baseUrl: string,
  list: { count: number; page: number; lastPage: number; entities: { entityId: string; linkId: string }[] },
  linkId: string | null,
): Static<typeof EntityList> {
  const link = (page: number) => {
    const query = new URLSearchParams({ page: String(page), ...(linkId === null ? {} : { link_id: linkId }) });
    return `${baseUrl}?${query.toString()}`;
  };
  return {
    count: list.count,
    next: list.page < list.lastPage ? link(list.page + 1) : null,
    previous: list.page > 1 ? link(list.page - 1) : null,
    results: list.entities.map(renderEntity),
  };
}

// ---------------------------------------------------------------- uploads

const UploadIdentity = Type.Object({
  account_number: Nullable(Type.String()),
  name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  account_category: OneOf(['individual', 'corporate']),
  credit_limit: Type.Number(),
  account_id: Uuid,
});

export const EntityUploadResponse = Type.Object({
  entity_id: Uuid,
  statement_id: Uuid,
  bank_name: Type.String(),
  identity: Type.Optional(UploadIdentity),
  date_range: Type.Optional(Type.Object({ from_date: Nullable(IsoDate), to_date: Nullable(IsoDate) })),
  is_fraud: Type.Optional(Type.Boolean()),
  fraud_type: Type.Optional(Nullable(Type.String())),
  status: Type.Literal(1),
});

export interface EntityUploaded {
  entityId: string;
  statementId: string;
  accountId: string;
  bankName: string;
  identity: {
    accountNumber: string | null;
    name: string | null;
    address: string | null;
    accountCategory: 'individual' | 'corporate';
    creditLimitPaise: number | null;
  };
  period: { from: string | null; to: string | null };
  fraudTypes: string[];
}

/** Without `?identity=true` only the ids and the bank, as documented (and `status`, which clients check). */
export function renderEntityUpload(u: EntityUploaded, withIdentity: boolean): Static<typeof EntityUploadResponse> {
  const base = { entity_id: u.entityId, statement_id: u.statementId, bank_name: u.bankName };
  if (!withIdentity) return { ...base, status: 1 };
  return {
    ...base,
    identity: {
      account_number: u.identity.accountNumber,
      name: u.identity.name,
      address: u.identity.address,
      account_category: u.identity.accountCategory,
      credit_limit: toRupeesOrNull(u.identity.creditLimitPaise) ?? 0,
      account_id: u.accountId,
    },
    date_range: { from_date: u.period.from, to_date: u.period.to },
    is_fraud: u.fraudTypes.length > 0,
    fraud_type: u.fraudTypes[0] ?? null,
    status: 1,
  };
}

// ---------------------------------------------------------------- data

/** What the data endpoints render from (usecases/entity.ts EntityData, structurally). */
export interface EntityDataInput {
  entity: { entityId: string; linkId: string };
  session: { sessionId: string; metadata: { names?: string[] } | null };
  accounts: { summary: AccountSummary; analysis: AccountAnalysis | null }[];
  progress: { statementId: string; accountId: string; status: 'processing' | 'completed' | 'failed'; message: string | null }[];
  allProcessed: boolean;
  reportUrls: { session: string; accounts: Record<string, string> };
}

const ProgressItem = Type.Object({
  status: OneOf(['processing', 'completed', 'failed']),
  statement_id: Uuid,
  source: Type.Literal('pdf'),
  message: Nullable(Type.String()),
  transaction_status: OneOf(['processing', 'completed', 'failed']),
});

const AccountWire = Type.Object({
  months: Type.Array(Month),
  statements: Type.Array(Uuid),
  account_id: Uuid,
  bank: Type.String(),
  ifsc: Nullable(Type.String()),
  micr: Nullable(Type.String()),
  account_category: OneOf(['individual', 'corporate']),
  account_number: Nullable(Type.String()),
  credit_limit: Type.Number(),
  last_updated: Type.String({ description: 'yyyy-MM-ddTHH:mm:ss.SSSZ' }),
});

const FraudBlock = Type.Object({
  fraudulent_statements: Type.Array(Uuid),
  fraud_type: Type.Array(
    Type.Object({
      statement_id: Nullable(Uuid),
      fraud_type: Type.String(),
      transaction_hash: Nullable(Type.String()),
      account_id: Uuid,
      fraud_category: Type.String(),
    }),
  ),
});

/** Every data endpoint's common part. */
const Common = { entity_id: Uuid, progress: Type.Array(ProgressItem), accounts: Type.Array(AccountWire), fraud: FraudBlock };

const EntityTransaction = Type.Object({
  transaction_note: Type.String(),
  hash: Type.String(),
  description: Type.String(),
  account_id: Uuid,
  transaction_type: OneOf(['debit', 'credit']),
  amount: Type.Number(),
  date: Type.String(),
  merchant_category: Type.String(),
  balance: Nullable(Type.Number()),
  transaction_channel: Type.String(),
});

const SalaryTransaction = Type.Intersect([EntityTransaction, Type.Object({ clean_transaction_note: Type.String(), month_year: Type.String({ pattern: '^\\d{2}-\\d{4}$' }) })]);
const Anything = Type.Unknown();

/** The part each data endpoint adds to the common ones. */
export const ENTITY_TOPICS = {
  accounts: {},
  identity: {
    identity: Type.Array(
      Type.Object({
        name: Nullable(Type.String()),
        address: Nullable(Type.String()),
        account_number: Nullable(Type.String()),
        account_category: OneOf(['individual', 'corporate']),
        credit_limit: Type.Number(),
        account_id: Uuid,
      }),
    ),
  },
  transactions: { transactions: Type.Array(EntityTransaction) },
  salary: { transactions: Type.Array(SalaryTransaction) },
  recurring_transactions: { transactions: Type.Object({ credit_transactions: Type.Array(Anything), debit_transactions: Type.Array(Anything) }) },
  lender_transactions: { transactions: Type.Array(EntityTransaction) },
  get_expense_categories: { categories: Type.Array(Type.Object({ category: Type.String(), percentage: Type.Integer({ description: 'Whole percentages of the debited amount, summing to 100' }) })) },
  top_credits_debits: {
    top_5_credit_debit: Type.Object({
      top_5_credit: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number())),
      top_5_debit: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number())),
    }),
  },
  monthly_analysis_updated: { monthly_analysis: Type.Object({ account_id: Type.Array(Type.Record(Uuid, Type.Object({ monthly_analysis: Type.Record(Type.String(), Anything) }))) }) },
  xlsx_report: { reports: Type.Array(Type.Object({ link: Type.String({ format: 'uri' }), account_id: Uuid })) },
  predictors: {
    predictors: Type.Array(
      Type.Object({
        account_id: Uuid,
        predictors: Type.Record(Type.String(), Nullable(Type.Union([Type.Number(), Type.String(), Type.Boolean()])), {
          description: 'Appendix C: identity, month_0…month_5 (0 the latest), six-month window totals and averages, and per-month families _0…_5',
        }),
      }),
    ),
  },
  score: { score: Type.Array(Type.Object({ account_id: Uuid, score: Nullable(Type.Number()) })) },
} as const satisfies Record<string, Record<string, TSchema>>;

export type EntityTopic = keyof typeof ENTITY_TOPICS;

export function EntityTopicResponse(topic: EntityTopic) {
  return Type.Object({ ...Common, ...ENTITY_TOPICS[topic] });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Jul-2025" (the session flow's salary month) → "07-2025" (the entity flow's month_year). */
function monthYear(salaryMonth: string): string {
  const [name, year] = salaryMonth.split('-');
  return `${String(MONTHS.indexOf(name ?? '') + 1).padStart(2, '0')}-${year ?? ''}`;
}

type SessionTxn = AccountData['transactions'][number];
type FlatTxn = AccountData['lender_transactions'][number];

function entityTxn(accountId: string, t: SessionTxn): Static<typeof EntityTransaction> {
  return {
    transaction_note: t.transaction_note,
    hash: t.hash,
    description: t.metadata.description,
    account_id: accountId,
    transaction_type: t.transaction_type,
    amount: t.amount,
    date: t.date,
    merchant_category: t.metadata.merchant_category,
    balance: t.balance,
    transaction_channel: t.metadata.transaction_channel,
  };
}

function flatEntityTxn(accountId: string, t: FlatTxn): Static<typeof EntityTransaction> {
  return {
    transaction_note: t.transaction_note,
    hash: t.hash,
    description: t.description,
    account_id: accountId,
    transaction_type: t.transaction_type,
    amount: t.amount,
    date: t.date,
    merchant_category: t.merchant_category,
    balance: t.balance,
    transaction_channel: t.transaction_channel,
  };
}

/** Each account with its session-flow data, rendered once. */
function accountData(input: EntityDataInput): { summary: AccountSummary; data: AccountData }[] {
  const names = input.session.metadata?.names ?? [];
  return input.accounts.map(({ summary, analysis }) => ({
    summary,
    data: renderAccountData({ sessionId: input.session.sessionId, names, reportUrl: input.reportUrls.accounts[summary.accountId] ?? null }, summary, analysis),
  }));
}

function common(input: EntityDataInput, accounts: { summary: AccountSummary; data: AccountData }[]) {
  const frauds = accounts.flatMap(({ summary, data }) => data.fraud.map((f) => ({ ...f, account_id: summary.accountId })));
  return {
    entity_id: input.entity.entityId,
    progress: input.progress.map((p) => ({ status: p.status, statement_id: p.statementId, source: 'pdf' as const, message: p.message, transaction_status: p.status })),
    accounts: accounts.map(({ summary: a, data }) => ({
      months: a.months,
      statements: a.statements.map((s) => s.statementId),
      account_id: a.accountId,
      bank: a.bankName,
      ifsc: data.account_details.ifsc,
      micr: data.account_details.micr,
      account_category: data.account_details.account_category,
      account_number: a.accountNumber,
      credit_limit: data.account_details.credit_limit,
      last_updated: a.updatedAt.toISOString(),
    })),
    fraud: {
      fraudulent_statements: [...new Set(frauds.flatMap((f) => (f.statement_id ? [f.statement_id] : [])))],
      fraud_type: frauds.map((f) => ({
        statement_id: f.statement_id,
        fraud_type: f.fraud_type,
        transaction_hash: f.transaction_hash,
        account_id: f.account_id,
        fraud_category: f.fraud_category,
      })),
    },
  };
}

/** Money in rupees, months `Mmm-YY`, dates `DD-Mmm-YY`: as the session flow writes its predictors of the same names. */
function renderPredictors(predictors: Record<string, MetricValue>): Record<string, MetricValue> {
  return Object.fromEntries(Object.entries(predictors).map(([key, value]) => [key, metricValue(value, predictorUnit(key))]));
}

function topicPart(topic: EntityTopic, input: EntityDataInput, accounts: { summary: AccountSummary; data: AccountData }[]): Record<string, unknown> {
  switch (topic) {
    case 'accounts':
      return {};
    case 'identity':
      return {
        identity: accounts.map(({ summary, data }) => ({
          name: data.account_details.name,
          address: data.account_details.address,
          account_number: summary.accountNumber,
          account_category: data.account_details.account_category,
          credit_limit: data.account_details.credit_limit,
          account_id: summary.accountId,
        })),
      };
    case 'transactions':
      return { transactions: accounts.flatMap(({ summary, data }) => data.transactions.map((t) => entityTxn(summary.accountId, t))) };
    case 'salary':
      return {
        transactions: accounts.flatMap(({ summary, data }) =>
          data.salary_transactions.map((t) => ({ ...entityTxn(summary.accountId, t), clean_transaction_note: t.metadata.clean_transaction_note, month_year: monthYear(t.salary_month) })),
        ),
      };
    case 'recurring_transactions':
      return {
        transactions: {
          credit_transactions: accounts.flatMap(({ data }) => data.recurring_transactions.credit_transactions),
          debit_transactions: accounts.flatMap(({ data }) => data.recurring_transactions.debit_transactions),
        },
      };
    case 'lender_transactions':
      return { transactions: accounts.flatMap(({ summary, data }) => data.lender_transactions.map((t) => flatEntityTxn(summary.accountId, t))) };
    case 'get_expense_categories':
      // One list for the entity, as documented: the debits of all its analysed accounts together
      // (the one account of `?account_id=`), by the session flow's categories and rounding.
      return { categories: expenseCategoriesOf(input.accounts.flatMap(({ analysis }) => analysis?.transactions ?? [])) };
    case 'top_credits_debits': {
      const top = { top_5_credit: {} as Record<string, Record<string, number>>, top_5_debit: {} as Record<string, Record<string, number>> };
      for (const { data } of accounts) {
        for (const block of data.top_credits_debits) {
          for (const month of block.data) {
            const byNote = (top[block.type][month.month] ??= {});
            for (const t of month.data) byNote[t.transaction_note] = (byNote[t.transaction_note] ?? 0) + t.amount;
          }
        }
      }
      return { top_5_credit_debit: top };
    }
    case 'monthly_analysis_updated':
      return { monthly_analysis: { account_id: accounts.map(({ summary, data }) => ({ [summary.accountId]: { monthly_analysis: data.monthly_analysis } })) } };
    case 'xlsx_report':
      // Empty while any statement is processing, as documented; then one link per analysed account.
      return {
        reports: input.allProcessed
          ? input.accounts.filter((a) => a.analysis).flatMap((a) => (input.reportUrls.accounts[a.summary.accountId] ? [{ link: input.reportUrls.accounts[a.summary.accountId]!, account_id: a.summary.accountId }] : []))
          : [],
      };
    case 'predictors':
      // Appendix C's six-month set (analysis/entity-predictors.ts), for each analysed account.
      return {
        predictors: input.accounts.flatMap(({ summary, analysis }) =>
          analysis ? [{ account_id: summary.accountId, predictors: renderPredictors(entityPredictors(analysis)) }] : [],
        ),
      };
    case 'score':
      // Passbook computes no score (docs/insights.md): an entry per account with null, none while processing.
      return { score: input.allProcessed ? accounts.map(({ summary }) => ({ account_id: summary.accountId, score: null })) : [] };
  }
}

export function renderEntityTopic(topic: EntityTopic, input: EntityDataInput): Record<string, unknown> {
  const accounts = accountData(input);
  return { ...common(input, accounts), ...topicPart(topic, input, accounts) };
}

// ---------------------------------------------------------------- files and webhooks

export const EntityPdfLinks = Type.Object({
  statements: Type.Array(Type.Object({ statement_id: Uuid, bank_name: Type.String(), pdf_password: Type.Null(), pdf_url: Nullable(Type.String()), account_id: Uuid })),
});

export function renderEntityPdfLinks(links: { account: { bankName: string; accountId: string }; statementId: string; url: string | null }[]): Static<typeof EntityPdfLinks> {
  // Passwords are never stored: null, as BankConnect answers for a file without one.
  return { statements: links.map((l) => ({ statement_id: l.statementId, bank_name: l.account.bankName, pdf_password: null, pdf_url: l.url, account_id: l.account.accountId })) };
}

export const EntityWebhookPayloads = Type.Object({
  payloads: Type.Array(
    Type.Object({
      statement_id: Uuid,
      entity_id: Uuid,
      link_id: Nullable(Type.String()),
      progress: OneOf(['completed', 'failed']),
      reason: Type.String(),
      date_time: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$' }),
    }),
  ),
});

export function renderEntityWebhookPayloads(
  payloads: { entityId: string; linkId: string | null; statementId: string; progress: 'completed' | 'failed'; reason: string; at: Date }[],
): Static<typeof EntityWebhookPayloads> {
  return {
    payloads: payloads.map((p) => ({ statement_id: p.statementId, entity_id: p.entityId, link_id: p.linkId, progress: p.progress, reason: p.reason, date_time: dateTime(p.at) })),
  };
}
