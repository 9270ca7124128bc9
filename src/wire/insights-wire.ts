/**
 * `insights/` and its per-topic parts, in BankConnect's shape (../shared/reference/insights-shape.md),
 * rendered from the stored analysis (domain/insights.ts): paise become rupees and dates the
 * several formats BankConnect uses for them, here only. Passbook's additions, for tracing every
 * number to the page it was printed on, are extra keys: each transaction's `statement_id`,
 * `page` and `bbox`, its counterparty and the rule that labelled it, each fraud finding's
 * `reason` and `evidence`, and the `enrichment_version` of the analysis.
 */
import { Type, type Static, type TSchema } from 'typebox';
import type { AccountSummary } from '../domain/account.ts';
import type { AccountAnalysis, EnrichedTransaction, FraudFinding, MetricUnit, MetricValue, RecurringSet, TransactionChannel } from '../domain/insights.ts';
import { toRupees, toRupeesOrNull } from '../domain/money.ts';
import { nameMatches } from '../domain/name-match.ts';
import type { Session } from '../domain/session.ts';
import { daysInMonthOf, formatDayMonthShort, formatMonthLong, formatMonthShort, monthOf, type CalendarDate } from '../lib/calendar-date.ts';
import { monthlyMetricUnit, predictorUnit } from '../analysis/metric-units.ts';
import { NameMatches } from './statement-wire.ts';
import { dateTime, IsoDate, Month, Nullable, OneOf, Uuid } from './wire-formats.ts';

const DateRange = Type.Object({ from_date: Nullable(IsoDate), to_date: Nullable(IsoDate) });
const TxnDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} 00:00:00$' });
const Hash = Type.String({ pattern: '^[0-9a-f]{32}$' });
const BBox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], { description: '[x0, top, x1, bottom] in PDF points from the top-left corner' });
const Counterparty = Type.Object({
  name: Nullable(Type.String()),
  upi_handle: Nullable(Type.String()),
  ifsc: Nullable(Type.String()),
  bank: Nullable(Type.String()),
  account_tail: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  cheque_number: Nullable(Type.String()),
});
/** Where a row is printed: Passbook's addition to every transaction shape. */
const Trace = { statement_id: Uuid, page: Nullable(Type.Integer({ minimum: 1 })), bbox: Nullable(BBox) };

/** `transactions[]`, `salary_transactions[]`: channel and description in `metadata`, as in BankConnect's current example. */
export const Transaction = Type.Object({
  transaction_type: OneOf(['debit', 'credit']),
  transaction_note: Type.String(),
  chq_num: Nullable(Type.String()),
  amount: Type.Number(),
  balance: Nullable(Type.Number()),
  date: TxnDate,
  hash: Hash,
  category: Type.String(),
  metadata: Type.Object({
    unclean_merchant: Nullable(Type.String()),
    transaction_channel: Type.String(),
    description: Type.String(),
    merchant_category: Type.String(),
    clean_transaction_note: Type.String(),
    counterparty: Counterparty,
    rule_id: Nullable(Type.String({ description: 'The rule of the enrichment rules file that set the channel' })),
  }),
  ...Trace,
});

/** `lender_transactions[]`, `self_and_sister_transactions[]`, `bounced_or_penal_transactions[]`: the flat shape. */
const FlatTransaction = Type.Object({
  transaction_type: OneOf(['debit', 'credit']),
  transaction_note: Type.String(),
  chq_num: Nullable(Type.String()),
  amount: Type.Number(),
  balance: Nullable(Type.Number()),
  date: TxnDate,
  transaction_channel: Type.String(),
  hash: Hash,
  merchant_category: Type.String(),
  description: Type.String(),
  category: Type.String(),
  ...Trace,
});

const RecurringSetWire = Type.Object({
  account_id: Uuid,
  transaction_channel: Type.String(),
  clean_transaction_note: Type.String(),
  median: Type.Number(),
  start_date: TxnDate,
  end_date: TxnDate,
  transactions: Type.Array(Type.Omit(FlatTransaction, ['chq_num'])),
});

const FraudEvidenceWire = Type.Union([
  Type.Object({ kind: Type.Literal('box'), statement_id: Uuid, page: Type.Integer(), bbox: BBox, transaction_hash: Nullable(Hash) }),
  Type.Object({ kind: Type.Literal('metadata'), statement_id: Uuid, field: Type.String(), value: Nullable(Type.String()) }),
]);
const FraudWire = Type.Object({
  statement_id: Nullable(Uuid),
  fraud_type: Type.String(),
  transaction_hash: Nullable(Hash),
  fraud_category: Type.String(),
  reason: Type.String(),
  evidence: Type.Array(FraudEvidenceWire),
});

const MetricValueWire = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);
const MonthlyAnalysis = Type.Record(Type.String(), Type.Record(Type.String(), MetricValueWire), { description: 'metric → "Mmm-YYYY" → value' });

export const AccountDetails = Type.Object({
  name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  metadata_analysis: Type.Object({ name_matches: NameMatches }),
  account_category: OneOf(['individual', 'corporate']),
  account_number: Nullable(Type.String()),
  account_opening_date: Nullable(IsoDate),
  bank: Type.String(),
  credit_limit: Type.Number(),
  ifsc: Nullable(Type.String()),
  micr: Nullable(Type.String()),
  missing_data: Type.Array(Type.Object({ from_date: IsoDate, to_date: IsoDate })),
  od_limit: Type.Number(),
  salary_confidence: Nullable(Type.Number()),
  statements: Type.Array(Uuid),
  months: Type.Array(Month),
  uploaded_months: Type.Array(Month),
  country_code: Type.Literal('IN'),
  currency_code: Type.Literal('INR'),
  // Only Account Aggregator data carries these; null for statements, never an invented value.
  dob: Nullable(IsoDate),
  email: Nullable(Type.String()),
  pan_number: Nullable(Type.String()),
  phone_number: Nullable(Type.String({ description: 'Masked: XXXXXX3210.' })),
  account_status: OneOf(['completed', 'failed', '']),
  holder_type: Nullable(Type.String()),
  account_type: Nullable(OneOf(['SAVINGS', 'CURRENT', 'OVERDRAFT'])),
  account_date_range: DateRange,
  transaction_date_range: DateRange,
});

const StatementStats = Type.Object({
  session_id: Uuid,
  account_id: Uuid,
  statement_id: Uuid,
  first_transaction_timestamp: Nullable(TxnDate),
  last_transaction_timestamp: Nullable(TxnDate),
  bank: Type.String(),
  source: OneOf(['PDF', 'AA']),
  upload_file_name: Nullable(Type.String()),
  page_count: Nullable(Type.Integer()),
  transaction_count: Type.Integer(),
  from_date: Nullable(TxnDate),
  to_date: Nullable(TxnDate),
  is_scanned_pdf: Type.Boolean(),
});

const TopMonth = Type.Object({ month: Type.String(), data: Type.Array(Type.Intersect([Type.Omit(Transaction, ['date']), Type.Object({ date: Type.String() })])) });

const EodBalances = Type.Record(Type.String(), Type.Union([Type.Array(Nullable(Type.Number())), Type.Array(Type.String()), Nullable(Type.Number())]), {
  description: 'Months_order, start_date, one array of end-of-day balances per month ("Mmm-YY"), starting_balance',
});

/** Every part of one account's data, in BankConnect's key order. */
export const AccountData = Type.Object({
  account_details: AccountDetails,
  fraud: Type.Array(FraudWire),
  fraud_details: Type.Object({ statement: Type.Array(FraudWire), account: Type.Array(FraudWire) }),
  transactions: Type.Array(Transaction),
  salary_transactions: Type.Array(Type.Intersect([Transaction, Type.Object({ employer_name: Nullable(Type.String()), salary_month: Type.String() })])),
  /** Passbook's addition: when the salary came late, and when it changed (docs/insights.md). */
  salary_events: Type.Object({
    delays: Type.Array(Type.Object({ hash: Hash, date: TxnDate, days_late: Type.Integer() })),
    changes: Type.Array(Type.Object({ salary_month: Type.String(), hash: Hash, previous_amount: Type.Number(), amount: Type.Number(), change_percent: Type.Number() })),
  }),
  recurring_transactions: Type.Object({ debit_transactions: Type.Array(RecurringSetWire), credit_transactions: Type.Array(RecurringSetWire) }),
  lender_transactions: Type.Array(FlatTransaction),
  top_credits_debits: Type.Array(Type.Object({ type: OneOf(['top_5_debit', 'top_5_credit']), data: Type.Array(TopMonth) })),
  statement_stats: Type.Array(StatementStats),
  expense_categories: Type.Array(Type.Object({ category: Type.String(), percentage: Type.Integer() })),
  self_and_sister_transactions: Type.Array(FlatTransaction),
  bounced_or_penal_transactions: Type.Array(FlatTransaction),
  /** Passbook's addition: each return or bounce, the item it bounced and the charge it drew (null where the narrations do not tell). */
  bounce_links: Type.Array(Type.Object({ bounce_hash: Hash, bounced_hash: Nullable(Hash), charge_hash: Nullable(Hash) })),
  monthly_analysis: MonthlyAnalysis,
  predictors: Type.Record(Type.String(), MetricValueWire),
  eod_balances: Nullable(EodBalances),
  score: Type.Null(),
  xlsx_report_url: Nullable(Type.String()),
});
export type AccountData = Static<typeof AccountData>;
export type AccountDataKey = keyof AccountData;

/** `insights/`. */
export const InsightsResponse = Type.Object({
  session_id: Uuid,
  link_id: Type.String(),
  session_date_range: Type.Object({ from_date: IsoDate, to_date: IsoDate }),
  enrichment_version: Nullable(Type.String()),
  accounts: Type.Array(Type.Object({ account_id: Uuid, data: AccountData })),
  aggregate_monthly_analysis: MonthlyAnalysis,
  aggregate_xlsx_report_url: Nullable(Type.String()),
  aggregate_xml_report_url: Type.Null(),
});
export type InsightsResponse = Static<typeof InsightsResponse>;

/** A per-topic endpoint's answer: the session, and for each account only the named parts. */
export function TopicResponse<K extends AccountDataKey>(keys: readonly K[]) {
  const data: Record<string, TSchema> = {};
  for (const key of keys) data[key] = AccountData.properties[key];
  return Type.Object({
    session_id: Uuid,
    link_id: Type.String(),
    enrichment_version: Nullable(Type.String()),
    accounts: Type.Array(Type.Object({ account_id: Uuid, data: Type.Object(data) })),
  });
}

/** What processing stored about a session: the accounts, their analyses, the session's aggregate. */
export interface InsightsInput {
  session: Session;
  accounts: { summary: AccountSummary; analysis: AccountAnalysis | null }[];
  aggregateMonthlyAnalysis: AccountAnalysis['monthlyAnalysis'] | null;
  enrichmentVersion: string | null;
  /** One-hour signed links to the Excel reports: the session's, and each account's by id. */
  reportUrls: { session: string; accounts: Record<string, string> };
}

export function metricValue(value: MetricValue, unit: MetricUnit): MetricValue {
  if (typeof value === 'string') {
    if (unit === 'month') return formatMonthShort(value);
    if (unit === 'date') return formatDayMonthShort(value as CalendarDate);
    return value;
  }
  if (value === null || typeof value !== 'number') return value;
  return unit === 'paise' ? toRupees(value) : value;
}

function monthlyWire(analysis: AccountAnalysis['monthlyAnalysis'] | null, units: (metric: string) => MetricUnit): Static<typeof MonthlyAnalysis> {
  const out: Static<typeof MonthlyAnalysis> = {};
  for (const [metric, months] of Object.entries(analysis ?? {})) {
    const unit = units(metric);
    const row: Record<string, MetricValue> = {};
    for (const [month, value] of Object.entries(months)) row[formatMonthLong(month)] = metricValue(value, unit);
    out[metric] = row;
  }
  return out;
}

/** BankConnect's casing: lower case in transaction lists with `Other` for the catch-all; upper case in recurring sets. */
function channelName(channel: TransactionChannel): string {
  return channel === 'Others' ? 'Other' : channel;
}

const txnDate = (date: CalendarDate) => `${date} 00:00:00`;

/** What every transaction shape prints of the row itself. */
function rowWire(t: EnrichedTransaction) {
  return {
    transaction_type: t.type,
    transaction_note: t.narration,
    chq_num: t.chqNum,
    amount: toRupees(t.amountPaise),
    balance: toRupeesOrNull(t.balancePaise),
    date: txnDate(t.date),
  };
}

/** Where the row is printed: every transaction shape ends with it. */
const traceWire = (t: EnrichedTransaction) => ({ statement_id: t.statementId, page: t.page, bbox: t.bbox });

function transactionWire(t: EnrichedTransaction): Static<typeof Transaction> {
  const e = t.enrichment;
  const c = e.counterparty;
  return {
    ...rowWire(t),
    hash: t.hash,
    category: e.category,
    metadata: {
      unclean_merchant: c.name,
      transaction_channel: channelName(e.channel),
      description: e.description,
      merchant_category: e.merchantCategory,
      clean_transaction_note: e.cleanNote,
      counterparty: { name: c.name, upi_handle: c.upiHandle, ifsc: c.ifsc, bank: c.bank, account_tail: c.accountTail, reference: c.reference, cheque_number: c.chequeNumber },
      rule_id: e.ruleId,
    },
    ...traceWire(t),
  };
}

function flatWire(t: EnrichedTransaction): Static<typeof FlatTransaction> {
  const e = t.enrichment;
  return {
    ...rowWire(t),
    transaction_channel: channelName(e.channel),
    hash: t.hash,
    merchant_category: e.merchantCategory,
    description: e.description,
    category: e.category,
    ...traceWire(t),
  };
}

function recurringWire(accountId: string, set: RecurringSet, byHash: Map<string, EnrichedTransaction>): Static<typeof RecurringSetWire> {
  return {
    account_id: accountId,
    transaction_channel: channelName(set.channel).toUpperCase(),
    clean_transaction_note: set.cleanNote,
    median: toRupees(set.medianPaise),
    start_date: txnDate(set.startDate),
    end_date: txnDate(set.endDate),
    transactions: members(set.hashes, byHash).map((t) => {
      const { chq_num: _, ...rest } = flatWire(t);
      return rest;
    }),
  };
}

function members(hashes: string[], byHash: Map<string, EnrichedTransaction>): EnrichedTransaction[] {
  return hashes.flatMap((h) => byHash.get(h) ?? []);
}

function fraudWire(f: FraudFinding): Static<typeof FraudWire> {
  return {
    statement_id: f.statementId,
    fraud_type: f.fraudType,
    transaction_hash: f.transactionHash,
    fraud_category: f.fraudCategory,
    reason: f.reason,
    evidence: f.evidence.map((e) =>
      e.kind === 'box'
        ? { kind: 'box' as const, statement_id: e.statementId, page: e.page, bbox: e.bbox, transaction_hash: e.transactionHash }
        : { kind: 'metadata' as const, statement_id: e.statementId, field: e.field, value: e.value },
    ),
  };
}

/**
 * `eod_balances`: `Months_order` ("Mmm-YY"), `start_date` (each month's first day with data,
 * "DD-Mmm-YY"), one array per month with an entry for every calendar day (null before the
 * first day with data and after the last), and `starting_balance`.
 */
function eodWire(eod: AccountAnalysis['eodBalances']): Static<typeof EodBalances> | null {
  if (!eod || eod.days.length === 0) return null;
  const byMonth = new Map<string, { date: CalendarDate; balancePaise: number }[]>();
  for (const day of eod.days) {
    const month = monthOf(day.date);
    byMonth.set(month, [...(byMonth.get(month) ?? []), day]);
  }
  const months = [...byMonth.keys()];
  const out: Static<typeof EodBalances> = {
    Months_order: months.map(formatMonthShort),
    start_date: months.map((m) => formatDayMonthShort(byMonth.get(m)![0]!.date)),
  };
  for (const month of months) {
    const values: (number | null)[] = new Array<number | null>(daysInMonthOf(month)).fill(null);
    for (const day of byMonth.get(month)!) values[Number(day.date.slice(8, 10)) - 1] = toRupees(day.balancePaise);
    out[formatMonthShort(month)] = values;
  }
  out.starting_balance = toRupeesOrNull(eod.startingBalancePaise);
  return out;
}

/** What an account's data is rendered in: its session (or, for `passbook parse --insights`, none) and its report link. */
export interface AccountContext {
  sessionId: string;
  /** `metadata.names` of the session, matched against the holder's name. */
  names: string[];
  reportUrl: string | null;
}

function accountDetails(ctx: Pick<AccountContext, 'names'>, a: AccountSummary, analysis: AccountAnalysis | null): Static<typeof AccountDetails> {
  const ranges = a.statements.filter((s) => s.fromDate && s.toDate);
  const id = a.identity;
  const rows = analysis?.transactions ?? [];
  return {
    name: id.name,
    address: id.address,
    metadata_analysis: { name_matches: nameMatches(ctx.names, id.name) },
    account_category: id.accountCategory,
    account_number: a.accountNumber,
    account_opening_date: id.holder?.accountOpeningDate ?? null,
    bank: a.bankName,
    credit_limit: id.creditLimitPaise === null ? 0 : toRupees(id.creditLimitPaise),
    ifsc: id.ifsc,
    micr: id.micr,
    missing_data: a.missing.map((g) => ({ from_date: g.from, to_date: g.to })),
    od_limit: id.odLimitPaise === null ? 0 : toRupees(id.odLimitPaise),
    // A percentage on the wire (BankConnect prints 100.0), a share of 1 inside.
    salary_confidence: analysis?.salary.confidence == null ? null : Math.round(analysis.salary.confidence * 1000) / 10,
    statements: a.statements.map((s) => s.statementId),
    months: a.months,
    uploaded_months: a.months,
    country_code: 'IN',
    currency_code: 'INR',
    dob: id.holder?.dob ?? null,
    email: id.holder?.email ?? null,
    pan_number: id.holder?.pan ?? null,
    phone_number: id.holder?.mobile ? `XXXXXX${id.holder.mobile.slice(-4)}` : null,
    account_status: a.processingStatus ?? '',
    holder_type: id.holder?.holderType ?? null,
    account_type: id.accountType,
    account_date_range: {
      from_date: ranges.map((s) => s.fromDate!).sort()[0] ?? null,
      to_date: ranges.map((s) => s.toDate!).sort().at(-1) ?? null,
    },
    transaction_date_range: { from_date: rows[0]?.date ?? null, to_date: rows.at(-1)?.date ?? null },
  };
}

/** One account's part of insights: everything BankConnect puts under `accounts[].data`. */
export function renderAccountData(ctx: AccountContext, summary: AccountSummary, analysis: AccountAnalysis | null): AccountData {
  const rows = analysis?.transactions ?? [];
  const byHash = new Map(rows.map((t) => [t.hash, t]));
  const salary = new Map(analysis?.salary.credits.map((c) => [c.hash, c]) ?? []);
  const fraud = analysis?.fraud ?? [];
  const topMonths = (pick: 'debits' | 'credits') =>
    (analysis?.topCreditsDebits ?? []).map((m) => ({
      month: formatMonthShort(m.month),
      data: members(m[pick], byHash).map((t) => ({ ...transactionWire(t), date: formatDayMonthShort(t.date) })),
    }));
  return {
    account_details: accountDetails(ctx, summary, analysis),
    fraud: fraud.map(fraudWire),
    fraud_details: { statement: fraud.filter((f) => f.statementId !== null).map(fraudWire), account: fraud.filter((f) => f.statementId === null).map(fraudWire) },
    transactions: rows.map(transactionWire),
    salary_transactions: rows.flatMap((t) => {
      const credit = salary.get(t.hash);
      return credit ? [{ ...transactionWire(t), employer_name: credit.employerName, salary_month: formatMonthLong(credit.salaryMonth) }] : [];
    }),
    salary_events: {
      delays: (analysis?.salary.delays ?? []).flatMap((d) => {
        const t = byHash.get(d.hash);
        return t ? [{ hash: d.hash, date: txnDate(t.date), days_late: d.daysLate }] : [];
      }),
      changes: (analysis?.salary.changes ?? []).map((c) => ({
        salary_month: formatMonthLong(c.salaryMonth),
        hash: c.hash,
        previous_amount: toRupees(c.previousPaise),
        amount: toRupees(c.amountPaise),
        change_percent: c.changePercent,
      })),
    },
    recurring_transactions: {
      debit_transactions: (analysis?.recurring.debit ?? []).map((s) => recurringWire(summary.accountId, s, byHash)),
      credit_transactions: (analysis?.recurring.credit ?? []).map((s) => recurringWire(summary.accountId, s, byHash)),
    },
    lender_transactions: members(analysis?.lenderHashes ?? [], byHash).map(flatWire),
    top_credits_debits: [
      { type: 'top_5_debit', data: topMonths('debits') },
      { type: 'top_5_credit', data: topMonths('credits') },
    ],
    statement_stats: summary.statements.map((s) => {
      const own = rows.filter((t) => t.statementId === s.statementId);
      return {
        session_id: ctx.sessionId,
        account_id: summary.accountId,
        statement_id: s.statementId,
        first_transaction_timestamp: own[0] ? txnDate(own[0].date) : null,
        last_transaction_timestamp: own.at(-1) ? txnDate(own.at(-1)!.date) : null,
        bank: summary.bankName,
        source: s.source === 'aa' ? ('AA' as const) : ('PDF' as const),
        upload_file_name: s.uploadFileName,
        page_count: s.pageCount,
        transaction_count: own.length,
        from_date: s.fromDate ? txnDate(s.fromDate) : null,
        to_date: s.toDate ? txnDate(s.toDate) : null,
        is_scanned_pdf: false,
      };
    }),
    expense_categories: analysis?.expenseCategories ?? [],
    self_and_sister_transactions: members(analysis?.selfAndSisterHashes ?? [], byHash).map(flatWire),
    bounced_or_penal_transactions: members(analysis?.bouncedOrPenalHashes ?? [], byHash).map(flatWire),
    bounce_links: (analysis?.bounceLinks ?? []).map((l) => ({ bounce_hash: l.bounceHash, bounced_hash: l.bouncedHash, charge_hash: l.chargeHash })),
    monthly_analysis: monthlyWire(analysis?.monthlyAnalysis ?? null, monthlyMetricUnit),
    predictors: Object.fromEntries(Object.entries(analysis?.predictors ?? {}).map(([key, value]) => [key, metricValue(value, predictorUnit(key))])),
    eod_balances: eodWire(analysis?.eodBalances ?? null),
    score: null,
    xlsx_report_url: analysis ? ctx.reportUrl : null,
  };
}

export function renderInsights(input: InsightsInput): InsightsResponse {
  const { session } = input;
  const names = session.metadata?.names ?? [];
  return {
    session_id: session.sessionId,
    link_id: session.linkId,
    session_date_range: { from_date: session.fromDate, to_date: session.toDate },
    enrichment_version: input.enrichmentVersion,
    accounts: input.accounts.map(({ summary, analysis }) => ({
      account_id: summary.accountId,
      data: renderAccountData({ sessionId: session.sessionId, names, reportUrl: input.reportUrls.accounts[summary.accountId] ?? null }, summary, analysis),
    })),
    aggregate_monthly_analysis: monthlyWire(input.aggregateMonthlyAnalysis, monthlyMetricUnit),
    aggregate_xlsx_report_url: input.reportUrls.session,
    aggregate_xml_report_url: null,
  };
}

/** A per-topic endpoint's answer: `renderInsights` cut down to `keys`. */
export function renderTopic<K extends AccountDataKey>(input: InsightsInput, keys: readonly K[]) {
  const full = renderInsights(input);
  return {
    session_id: full.session_id,
    link_id: full.link_id,
    enrichment_version: full.enrichment_version,
    accounts: full.accounts.map((a) => ({ account_id: a.account_id, data: Object.fromEntries(keys.map((k) => [k, a.data[k]])) as Pick<AccountData, K> })),
  };
}

/** `identity/`: BankConnect's older shape — the accounts, and the holders as read from the statements. */
export const IdentityResponse = Type.Object({
  session_id: Uuid,
  accounts: Type.Array(
    Type.Object({
      account_category: OneOf(['individual', 'corporate']),
      account_id: Uuid,
      account_number: Nullable(Type.String()),
      account_opening_date: Type.Null(),
      bank: Type.String(),
      credit_limit: Type.Number(),
      ifsc: Nullable(Type.String()),
      micr: Nullable(Type.String()),
      missing_data: Type.Array(Type.Object({ from_date: IsoDate, to_date: IsoDate })),
      od_limit: Type.Number(),
      statements: Type.Array(Uuid),
      months: Type.Array(Month),
      country_code: Type.Literal('IN'),
      currency_code: Type.Literal('INR'),
      last_updated: Type.String(),
    }),
  ),
  identity: Type.Array(
    Type.Object({
      account_number: Nullable(Type.String()),
      address: Nullable(Type.String()),
      account_category: OneOf(['individual', 'corporate']),
      account_id: Uuid,
      raw_account_category: Nullable(Type.String()),
      name: Nullable(Type.String()),
      micr: Nullable(Type.String()),
      credit_limit: Type.Number(),
      bank_name: Type.String(),
      ifsc: Nullable(Type.String()),
      metadata_analysis: Type.Object({ name_matches: NameMatches }),
    }),
  ),
});

export function renderIdentity(input: InsightsInput): Static<typeof IdentityResponse> {
  const { session } = input;
  return {
    session_id: session.sessionId,
    accounts: input.accounts.map(({ summary: a }) => {
      const d = accountDetails({ names: session.metadata?.names ?? [] }, a, null);
      return {
        account_category: d.account_category,
        account_id: a.accountId,
        account_number: d.account_number,
        account_opening_date: null,
        bank: d.bank,
        credit_limit: d.credit_limit,
        ifsc: d.ifsc,
        micr: d.micr,
        missing_data: d.missing_data,
        od_limit: d.od_limit,
        statements: d.statements,
        months: d.months,
        country_code: 'IN' as const,
        currency_code: 'INR' as const,
        last_updated: dateTime(a.updatedAt),
      };
    }),
    identity: input.accounts.map(({ summary: a }) => {
      const d = accountDetails({ names: session.metadata?.names ?? [] }, a, null);
      return {
        account_number: d.account_number,
        address: d.address,
        account_category: d.account_category,
        account_id: a.accountId,
        // The account type as the statement prints it is not kept apart from account_type.
        raw_account_category: a.identity.accountType,
        name: d.name,
        micr: d.micr,
        credit_limit: d.credit_limit,
        bank_name: d.bank,
        ifsc: d.ifsc,
        metadata_analysis: d.metadata_analysis,
      };
    }),
  };
}

/** `xlsx_report/`: BankConnect's legacy shape, a one-hour link per analysed account. */
export const XlsxReportResponse = Type.Object({
  session_id: Uuid,
  reports: Type.Array(Type.Object({ link: Type.String({ format: 'uri' }), account_id: Uuid })),
});

export function renderXlsxReports(r: { sessionId: string; reports: { accountId: string; link: string }[] }): Static<typeof XlsxReportResponse> {
  return { session_id: r.sessionId, reports: r.reports.map((x) => ({ link: x.link, account_id: x.accountId })) };
}
