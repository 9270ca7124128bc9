/**
 * The Excel report of a session (issue 11 §4): one workbook per account, or one for the whole
 * session covering every account, written with exceljs's streaming writer so that a 16,000-row
 * account never sits in memory as a workbook — each row is committed to the zip as it is made.
 *
 * Sheets, in order: Summary, Transactions, Monthly Analysis, EOD Balances, Salary, Recurring,
 * Lender, Bounces, Self Transfers, Predictors (columns in docs/insights.md, "Excel report"). Money is a
 * number in rupees with an INR format, dates are real Excel dates, every sheet's header row is
 * frozen and its table filterable. Nothing is computed here that the analysis does not hold,
 * except the summary's key figures, each defined in docs/insights.md ("Excel report").
 */
import ExcelJS from 'exceljs';
import type { AccountSummary } from '../domain/account.ts';
import type {
  AccountAnalysis,
  EnrichedTransaction,
  FraudEvidence,
  FraudFinding,
  MetricUnit,
  MetricValue,
  RecurringSet,
  TransactionChannel,
} from '../domain/insights.ts';
import { monthlyMetricUnit, predictorUnit } from '../analysis/metric-units.ts';
import { formatDayMonthYear, formatMonthLong, monthsBetween, type CalendarDate } from '../lib/calendar-date.ts';

export interface ReportAccount {
  summary: AccountSummary;
  analysis: AccountAnalysis;
}

export interface ReportInput {
  sessionId: string;
  enrichmentVersion: string;
  accounts: ReportAccount[];
  aggregateMonthlyAnalysis: AccountAnalysis['monthlyAnalysis'] | null;
}

/**
 * The account asked for is not in the input. Raised before anything is written; the caller maps
 * it to its own not-found error (reports do not know the API's error table).
 */
export class UnknownReportAccountError extends Error {
  readonly accountId: string;

  constructor(sessionId: string, accountId: string) {
    super(`No account ${accountId} in session ${sessionId}.`);
    this.name = 'UnknownReportAccountError';
    this.accountId = accountId;
  }
}

/** Indian rupees with two decimals; Excel groups the thousands. */
export const INR_FORMAT = '₹#,##0.00';
export const DATE_FORMAT = 'dd-mmm-yyyy';

export const SHEET_NAMES = [
  'Summary',
  'Transactions',
  'Monthly Analysis',
  'EOD Balances',
  'Salary',
  'Recurring',
  'Lender',
  'Bounces',
  'Self Transfers',
  'Predictors',
] as const;

/** Channels of the bounced item itself; the rest of `bouncedOrPenalHashes` are the charges for it. */
const BOUNCE_CHANNELS: ReadonlySet<TransactionChannel> = new Set(['inward_cheque_bounce', 'outward_cheque_bounce', 'auto_debit_payment_bounce']);

/** Rows written between two checks of the sheet's backlog. */
const ROWS_PER_YIELD = 200;
/** How much written-but-not-yet-compressed sheet XML may wait before writing pauses. */
const MAX_BACKLOG_BYTES = 4 * 2 ** 20;
/** exceljs's sheet stream buffers in 64 KiB blocks until the zip takes them. */
const SHEET_BLOCK_BYTES = 65_536;

type Cell = ExcelJS.CellValue;
type Format = 'inr' | 'date' | 'decimal' | undefined;

interface Column<T> {
  header: string;
  width: number;
  format?: Format;
  value: (row: T) => Cell;
}

/** A transaction with the account it belongs to, for the tables of the session report. */
interface AccountRow {
  account: PreparedAccount;
  tx: EnrichedTransaction;
}

interface PreparedAccount {
  summary: AccountSummary;
  analysis: AccountAnalysis;
  label: string;
  byHash: Map<string, EnrichedTransaction>;
}

/**
 * One style object per format, shared by every data cell that has it: exceljs resolves a cell's
 * style id through a WeakMap keyed by the style object, so sharing turns a per-cell style
 * serialisation (a fifth of the write time on a 16,000-row sheet) into a lookup.
 */
const SHARED_STYLES: Record<NonNullable<Format> | 'none', Partial<ExcelJS.Style>> = {
  none: {},
  inr: { numFmt: INR_FORMAT },
  date: { numFmt: DATE_FORMAT },
  decimal: { numFmt: '0.00' },
};

/** Adds and commits a data row, each cell with the shared style of its format. */
function addDataRow(sheet: ExcelJS.Worksheet, values: Cell[], formatOf: (index: number) => Format): void {
  const row = sheet.addRow(values);
  for (let i = 0; i < values.length; i++) row.getCell(i + 1).style = SHARED_STYLES[formatOf(i) ?? 'none'];
  row.commit();
}

/** The channel as the JSON transaction lists print it: `Other` for the catch-all, so the two can be matched. */
const channelName = (channel: TransactionChannel): string => (channel === 'Others' ? 'Other' : channel);

/** Paise → rupees as a number (Excel formats it); null stays an empty cell. */
const rupees = (paise: number | null | undefined): number | null => (paise === null || paise === undefined ? null : paise / 100);

/** A calendar date as an Excel date: UTC midnight, which exceljs writes as a whole serial day. */
const excelDate = (date: CalendarDate | null | undefined): Date | null => (date ? new Date(`${date}T00:00:00Z`) : null);

/**
 * The parts of exceljs's streaming sheet (a StreamBuf) that show how far the zip lags behind:
 * its own blocks not yet handed on, and what waits in the compressor it pipes to. Read
 * defensively: if a future exceljs hides them, the backlog reads 0 and writing just yields.
 */
interface SheetStreamInternals {
  buffers?: unknown[];
  pipes?: { writableLength?: number }[];
}

function backlogBytes(sheet: ExcelJS.Worksheet): number {
  const stream = (sheet as unknown as { _stream?: SheetStreamInternals })._stream;
  if (!stream) return 0;
  const own = (stream.buffers?.length ?? 0) * SHEET_BLOCK_BYTES;
  return own + (stream.pipes ?? []).reduce((sum, pipe) => sum + (pipe.writableLength ?? 0), 0);
}

/**
 * exceljs writes rows into the zip without backpressure, so a fast writer would hold the whole
 * sheet's XML in memory; this lets the compressor and the output catch up before writing more.
 */
async function letZipCatchUp(sheet: ExcelJS.Worksheet): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  throwIfOutputFailed(sheet.workbook);
  while (backlogBytes(sheet) > MAX_BACKLOG_BYTES) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throwIfOutputFailed(sheet.workbook);
  }
}

/**
 * The output's failure (an error, or closed before the end: a client gone away), recorded so the
 * writer stops with it instead of waiting forever for a zip that no longer drains, and so the
 * error event has a listener (an unheard one would crash the process).
 */
const outputFailures = new WeakMap<object, { error: unknown }>();

function throwIfOutputFailed(workbook: object): void {
  const failure = outputFailures.get(workbook);
  if (failure) throw failure.error;
}

/**
 * Writes the report to `out`: the account `options.accountId`'s, or, without it, the session's
 * (every account). Throws before writing a byte when the account is unknown or the input does not
 * hold together (an analysis of another account).
 */
export async function writeXlsxReport(input: ReportInput, out: NodeJS.WritableStream, options: { accountId?: string }): Promise<void> {
  for (const { summary, analysis } of input.accounts) {
    if (summary.accountId !== analysis.accountId) {
      throw new Error(`xlsx report: analysis of account ${analysis.accountId} given with account ${summary.accountId}`);
    }
  }
  let selected = input.accounts;
  if (options.accountId !== undefined) {
    selected = input.accounts.filter((a) => a.summary.accountId === options.accountId);
    if (selected.length === 0) throw new UnknownReportAccountError(input.sessionId, options.accountId);
  }
  const aggregated = options.accountId === undefined;
  const accounts: PreparedAccount[] = selected.map(({ summary, analysis }) => ({
    summary,
    analysis,
    label: accountLabel(summary),
    byHash: new Map(analysis.transactions.map((tx) => [tx.hash, tx])),
  }));

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as unknown as import('node:stream').Stream, useStyles: true });
  workbook.creator = 'Passbook';
  let finished = false;
  const onError = (error: unknown) => {
    if (!outputFailures.has(workbook)) outputFailures.set(workbook, { error });
  };
  const onClose = () => {
    if (!finished) onError(new Error('xlsx report: the output closed before the report was written'));
  };
  const onFinish = () => (finished = true);
  out.on('error', onError);
  out.on('close', onClose);
  out.on('finish', onFinish);
  try {
    await writeSheets(workbook, input, accounts, aggregated);
  } finally {
    out.off('error', onError);
    out.off('close', onClose);
    out.off('finish', onFinish);
  }
}

async function writeSheets(workbook: ExcelJS.stream.xlsx.WorkbookWriter, input: ReportInput, accounts: PreparedAccount[], aggregated: boolean): Promise<void> {
  const monthly = aggregated ? input.aggregateMonthlyAnalysis : (accounts[0]?.analysis.monthlyAnalysis ?? null);
  await writeSummary(workbook, input, accounts, aggregated);
  await writeTransactions(workbook, accounts, aggregated);
  await writeMonthlyAnalysis(workbook, monthly);
  await writeEodBalances(workbook, accounts, aggregated);
  await writeSalary(workbook, accounts, aggregated);
  await writeRecurring(workbook, accounts, aggregated);
  await writeHashList(workbook, 'Lender', accounts, aggregated, (a) => a.analysis.lenderHashes, {
    header: 'Kind',
    width: 14,
    value: (r) => (r.tx.type === 'debit' ? 'EMI' : 'Loan disbursal'),
  });
  await writeHashList(workbook, 'Bounces', accounts, aggregated, (a) => a.analysis.bouncedOrPenalHashes, {
    header: 'Kind',
    width: 12,
    value: (r) => (BOUNCE_CHANNELS.has(r.tx.enrichment.channel) ? 'Bounce' : 'Charge'),
  });
  await writeHashList(workbook, 'Self Transfers', accounts, aggregated, (a) => a.analysis.selfAndSisterHashes, null);
  await writePredictors(workbook, accounts, aggregated);
  throwIfOutputFailed(workbook);
  await workbook.commit();
}

function accountLabel(summary: AccountSummary): string {
  return [summary.bankName, summary.accountNumber ?? summary.identity.accountNumber ?? summary.accountId].filter(Boolean).join(' ');
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string): ExcelJS.Worksheet {
  return workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
}

/** Sets the widths, writes the bold header row, and filters the table's columns. */
function startTable<T>(sheet: ExcelJS.Worksheet, columns: Column<T>[]): void {
  sheet.columns = columns.map((c) => ({ width: c.width }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(columns.length, 1) } };
}

/** Writes a whole table, one committed row at a time, and commits the sheet. */
async function writeTable<T>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column<T>[], rows: Iterable<T>): Promise<void> {
  const sheet = addSheet(workbook, name);
  startTable(sheet, columns);
  let written = 0;
  for (const row of rows) {
    addDataRow(
      sheet,
      columns.map((c) => c.value(row)),
      (i) => columns[i]?.format,
    );
    if (++written % ROWS_PER_YIELD === 0) await letZipCatchUp(sheet);
  }
  sheet.commit();
}

// ---------------------------------------------------------------------------------------------
// Summary

type SummaryValue = { value: Cell; format?: Format };
type SummaryField = { field: string; value: (a: PreparedAccount) => SummaryValue };

const text = (value: string | null | undefined): SummaryValue => ({ value: value ?? null });
const money = (paise: number | null): SummaryValue => ({ value: rupees(paise), format: 'inr' });
const date = (value: CalendarDate | null): SummaryValue => ({ value: excelDate(value), format: 'date' });
const count = (value: number | null): SummaryValue => ({ value });

/** The key figures of an account, computed once for its summary column. */
interface KeyFigures {
  periodFrom: CalendarDate | null;
  periodTo: CalendarDate | null;
  totalCreditsPaise: number;
  totalDebitsPaise: number;
  creditCount: number;
  debitCount: number;
  averageEodBalancePaise: number | null;
  salaryEmployer: string | null;
  salaryMonthlyPaise: number | null;
  salaryMonths: number;
  emiCountPerMonth: number | null;
  emiAmountPerMonthPaise: number | null;
  bounces: number;
  bounceCharges: number;
}

const figuresCache = new WeakMap<PreparedAccount, KeyFigures>();

function keyFigures(account: PreparedAccount): KeyFigures {
  const cached = figuresCache.get(account);
  if (cached) return cached;
  const { analysis, summary, byHash } = account;
  const froms = summary.statements.flatMap((s) => (s.fromDate ? [s.fromDate] : [])).sort();
  const tos = summary.statements.flatMap((s) => (s.toDate ? [s.toDate] : [])).sort();
  let totalCreditsPaise = 0;
  let totalDebitsPaise = 0;
  let creditCount = 0;
  let debitCount = 0;
  for (const tx of analysis.transactions) {
    if (tx.type === 'credit') {
      totalCreditsPaise += tx.amountPaise;
      creditCount++;
    } else {
      totalDebitsPaise += tx.amountPaise;
      debitCount++;
    }
  }
  const days = analysis.eodBalances?.days ?? [];
  const averageEodBalancePaise = days.length ? Math.round(days.reduce((s, d) => s + d.balancePaise, 0) / days.length) : null;

  // Salary: the month's salary is the sum of the credits attributed to it; the monthly amount is the median month.
  const perMonth = new Map<string, number>();
  const employers = new Map<string, number>();
  for (const credit of analysis.salary.credits) {
    const tx = byHash.get(credit.hash);
    if (tx) perMonth.set(credit.salaryMonth, (perMonth.get(credit.salaryMonth) ?? 0) + tx.amountPaise);
    if (credit.employerName) employers.set(credit.employerName, (employers.get(credit.employerName) ?? 0) + 1);
  }
  let salaryEmployer: string | null = null;
  for (const [name, n] of employers) if (salaryEmployer === null || n > (employers.get(salaryEmployer) ?? 0)) salaryEmployer = name;

  // EMIs: lender debits over the calendar months from the first transaction to the last.
  const first = analysis.transactions[0];
  const last = analysis.transactions[analysis.transactions.length - 1];
  const months = first && last ? monthsBetween(first.date, last.date).length : 0;
  let emiCount = 0;
  let emiPaise = 0;
  for (const hash of analysis.lenderHashes) {
    const tx = byHash.get(hash);
    if (tx?.type === 'debit') {
      emiCount++;
      emiPaise += tx.amountPaise;
    }
  }
  let bounces = 0;
  let bounceCharges = 0;
  for (const hash of analysis.bouncedOrPenalHashes) {
    const tx = byHash.get(hash);
    if (!tx) continue;
    if (BOUNCE_CHANNELS.has(tx.enrichment.channel)) bounces++;
    else bounceCharges++;
  }
  const figures: KeyFigures = {
    periodFrom: froms[0] ?? null,
    periodTo: tos[tos.length - 1] ?? null,
    totalCreditsPaise,
    totalDebitsPaise,
    creditCount,
    debitCount,
    averageEodBalancePaise,
    salaryEmployer,
    salaryMonthlyPaise: median([...perMonth.values()]),
    salaryMonths: perMonth.size,
    emiCountPerMonth: months ? Math.round((emiCount / months) * 100) / 100 : null,
    emiAmountPerMonthPaise: months ? Math.round(emiPaise / months) : null,
    bounces,
    bounceCharges,
  };
  figuresCache.set(account, figures);
  return figures;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

const SUMMARY_FIELDS: SummaryField[] = [
  { field: 'Account ID', value: (a) => text(a.summary.accountId) },
  { field: 'Name', value: (a) => text(a.summary.identity.name) },
  { field: 'Account number', value: (a) => text(a.summary.accountNumber ?? a.summary.identity.accountNumber) },
  { field: 'Bank', value: (a) => text(a.summary.bankName || null) },
  { field: 'IFSC', value: (a) => text(a.summary.identity.ifsc) },
  { field: 'MICR', value: (a) => text(a.summary.identity.micr) },
  { field: 'Account type', value: (a) => text(a.summary.identity.accountType) },
  { field: 'Account category', value: (a) => text(a.summary.identity.accountCategory) },
  { field: 'Period from', value: (a) => date(keyFigures(a).periodFrom) },
  { field: 'Period to', value: (a) => date(keyFigures(a).periodTo) },
  { field: 'First transaction', value: (a) => date(a.analysis.transactions[0]?.date ?? null) },
  { field: 'Last transaction', value: (a) => date(a.analysis.transactions[a.analysis.transactions.length - 1]?.date ?? null) },
  { field: 'Coverage months', value: (a) => count(a.summary.months.length) },
  { field: 'Months covered', value: (a) => text(a.summary.months.map(formatMonthLong).join(', ')) },
  {
    field: 'Missing periods',
    value: (a) => text(a.summary.missing.map((m) => `${formatDayMonthYear(m.from)} – ${formatDayMonthYear(m.to)}`).join(', ')),
  },
  { field: 'Coverage complete', value: (a) => text(a.summary.complete ? 'Yes' : 'No') },
  { field: 'Statements', value: (a) => count(a.summary.statements.length) },
  { field: 'Pages', value: (a) => count(a.summary.statements.reduce((s, st) => s + (st.pageCount ?? 0), 0)) },
  { field: 'Transactions', value: (a) => count(a.analysis.transactions.length) },
  { field: 'Total credits', value: (a) => money(keyFigures(a).totalCreditsPaise) },
  { field: 'Credit count', value: (a) => count(keyFigures(a).creditCount) },
  { field: 'Total debits', value: (a) => money(keyFigures(a).totalDebitsPaise) },
  { field: 'Debit count', value: (a) => count(keyFigures(a).debitCount) },
  { field: 'Starting balance', value: (a) => money(a.analysis.eodBalances?.startingBalancePaise ?? null) },
  { field: 'Average EOD balance', value: (a) => money(keyFigures(a).averageEodBalancePaise) },
  { field: 'Salary found', value: (a) => text(a.analysis.salary.credits.length ? 'Yes' : 'No') },
  { field: 'Salary employer', value: (a) => text(keyFigures(a).salaryEmployer) },
  { field: 'Salary monthly amount', value: (a) => money(keyFigures(a).salaryMonthlyPaise) },
  { field: 'Salary months', value: (a) => count(keyFigures(a).salaryMonths) },
  { field: 'Salary confidence', value: (a) => count(a.analysis.salary.confidence) },
  { field: 'EMIs per month', value: (a) => ({ value: keyFigures(a).emiCountPerMonth, format: 'decimal' }) },
  { field: 'EMI amount per month', value: (a) => money(keyFigures(a).emiAmountPerMonthPaise) },
  { field: 'Bounces', value: (a) => count(keyFigures(a).bounces) },
  { field: 'Bounce and penal charges', value: (a) => count(keyFigures(a).bounceCharges) },
  { field: 'Fraud findings', value: (a) => count(fraudFindingsOf(a).length) },
];

/** The account's findings: the analysis's, plus any found at upload that the analysis does not repeat. */
function fraudFindingsOf(account: PreparedAccount): FraudFinding[] {
  const key = (f: FraudFinding) => `${f.fraudType}|${f.statementId ?? ''}|${f.transactionHash ?? ''}|${f.reason}`;
  const seen = new Set(account.analysis.fraud.map(key));
  const out = [...account.analysis.fraud];
  for (const statement of account.summary.statements) {
    for (const finding of statement.fraudFindings) {
      if (!seen.has(key(finding))) {
        seen.add(key(finding));
        out.push(finding);
      }
    }
  }
  return out;
}

function describeEvidence(evidence: FraudEvidence): string {
  if (evidence.kind === 'metadata') {
    return `statement ${evidence.statementId}, PDF metadata ${evidence.field} = ${evidence.value === null ? '(none)' : JSON.stringify(evidence.value)}`;
  }
  const box = evidence.bbox.map((n) => Math.round(n * 10) / 10).join(', ');
  const row = evidence.transactionHash ? `, transaction ${evidence.transactionHash}` : '';
  return `statement ${evidence.statementId}, page ${evidence.page}, box [${box}]${row}`;
}

const FRAUD_HEADERS = ['Fraud type', 'Category', 'Account', 'Reason', 'Evidence', 'Statement ID', 'Transaction hash'];

/**
 * Field rows × one column per account, then, below, the fraud findings with their reasons and
 * evidence. The filter covers the field table.
 */
async function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, input: ReportInput, accounts: PreparedAccount[], aggregated: boolean): Promise<void> {
  const sheet = addSheet(workbook, 'Summary');
  const width = Math.max(1 + accounts.length, FRAUD_HEADERS.length);
  const widths = [30, 28, 28, 60, 80, 38, 34];
  sheet.columns = Array.from({ length: width }, (_, i) => ({ width: widths[i] ?? 28 }));
  const header = sheet.addRow(['Field', ...accounts.map((a) => a.label)]);
  header.font = { bold: true };
  header.commit();
  const meta: [string, string][] = [
    ['Session ID', input.sessionId],
    ['Report', aggregated ? 'Session (all accounts)' : 'Account'],
    ['Enrichment version', input.enrichmentVersion],
  ];
  for (const [field, value] of meta) sheet.addRow([field, value]).commit();
  for (const { field, value } of SUMMARY_FIELDS) {
    addFormattedRow(sheet, [{ value: field }, ...accounts.map(value)]);
  }
  const lastFieldRow = 1 + meta.length + SUMMARY_FIELDS.length;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastFieldRow, column: 1 + Math.max(accounts.length, 1) } };

  sheet.addRow([]).commit();
  const title = sheet.addRow(['Fraud findings']);
  title.font = { bold: true };
  title.commit();
  const fraudHeader = sheet.addRow(FRAUD_HEADERS);
  fraudHeader.font = { bold: true };
  fraudHeader.commit();
  let any = false;
  for (const account of accounts) {
    for (const f of fraudFindingsOf(account)) {
      any = true;
      sheet
        .addRow([f.fraudType, f.fraudCategory, account.label, f.reason, f.evidence.map(describeEvidence).join('; '), f.statementId, f.transactionHash])
        .commit();
    }
  }
  if (!any) sheet.addRow(['None']).commit();
  sheet.commit();
}

// ---------------------------------------------------------------------------------------------
// Transaction tables

const accountColumn: Column<AccountRow> = { header: 'Account', width: 26, value: (r) => r.account.label };

function transactionColumns(withCounterparty: boolean): Column<AccountRow>[] {
  const columns: Column<AccountRow>[] = [
    { header: 'Date', width: 13, format: 'date', value: (r) => excelDate(r.tx.date) },
    { header: 'Narration', width: 60, value: (r) => r.tx.narration },
    { header: 'Cheque No', width: 12, value: (r) => r.tx.chqNum ?? r.tx.enrichment.counterparty.chequeNumber },
    { header: 'Debit', width: 15, format: 'inr', value: (r) => (r.tx.type === 'debit' ? rupees(r.tx.amountPaise) : null) },
    { header: 'Credit', width: 15, format: 'inr', value: (r) => (r.tx.type === 'credit' ? rupees(r.tx.amountPaise) : null) },
    { header: 'Balance', width: 17, format: 'inr', value: (r) => rupees(r.tx.balancePaise) },
    { header: 'Channel', width: 22, value: (r) => channelName(r.tx.enrichment.channel) },
    { header: 'Description', width: 24, value: (r) => r.tx.enrichment.description },
    { header: 'Category', width: 20, value: (r) => r.tx.enrichment.category },
    { header: 'Merchant Category', width: 16, value: (r) => r.tx.enrichment.merchantCategory },
  ];
  if (withCounterparty) {
    columns.push(
      { header: 'Counterparty Name', width: 26, value: (r) => r.tx.enrichment.counterparty.name },
      { header: 'Counterparty UPI', width: 24, value: (r) => r.tx.enrichment.counterparty.upiHandle },
      { header: 'Counterparty IFSC', width: 14, value: (r) => r.tx.enrichment.counterparty.ifsc },
      { header: 'Counterparty Reference', width: 20, value: (r) => r.tx.enrichment.counterparty.reference },
    );
  }
  columns.push(
    { header: 'Page', width: 6, value: (r) => r.tx.page },
    { header: 'Hash', width: 34, value: (r) => r.tx.hash },
    { header: 'Statement ID', width: 38, value: (r) => r.tx.statementId },
  );
  return columns;
}

function* allTransactions(accounts: PreparedAccount[]): Generator<AccountRow> {
  for (const account of accounts) for (const tx of account.analysis.transactions) yield { account, tx };
}

/** The transactions named by hash, in the list's order; a hash the account does not hold is skipped (docs). */
function* byHashes(accounts: PreparedAccount[], hashesOf: (a: PreparedAccount) => string[]): Generator<AccountRow> {
  for (const account of accounts) {
    for (const hash of hashesOf(account)) {
      const tx = account.byHash.get(hash);
      if (tx) yield { account, tx };
    }
  }
}

const withAccount = <T>(aggregated: boolean, column: Column<T>, columns: Column<T>[]): Column<T>[] => (aggregated ? [column, ...columns] : columns);

async function writeTransactions(workbook: ExcelJS.stream.xlsx.WorkbookWriter, accounts: PreparedAccount[], aggregated: boolean): Promise<void> {
  await writeTable(workbook, 'Transactions', withAccount(aggregated, accountColumn, transactionColumns(true)), allTransactions(accounts));
}

async function writeHashList(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  accounts: PreparedAccount[],
  aggregated: boolean,
  hashesOf: (a: PreparedAccount) => string[],
  kind: Column<AccountRow> | null,
): Promise<void> {
  const columns = withAccount(aggregated, accountColumn, kind ? [kind, ...transactionColumns(false)] : transactionColumns(false));
  await writeTable(workbook, name, columns, byHashes(accounts, hashesOf));
}

async function writeSalary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, accounts: PreparedAccount[], aggregated: boolean): Promise<void> {
  type SalaryRow = AccountRow & { employerName: string | null; salaryMonth: string; daysLate: number | null; changePercent: number | null };
  function* rows(): Generator<SalaryRow> {
    for (const account of accounts) {
      const { salary } = account.analysis;
      const late = new Map(salary.delays.map((d) => [d.hash, d.daysLate]));
      const changed = new Map(salary.changes.map((c) => [c.hash, c.changePercent]));
      for (const credit of salary.credits) {
        const tx = account.byHash.get(credit.hash);
        if (tx) yield { account, tx, employerName: credit.employerName, salaryMonth: credit.salaryMonth, daysLate: late.get(credit.hash) ?? null, changePercent: changed.get(credit.hash) ?? null };
      }
    }
  }
  const columns: Column<SalaryRow>[] = [
    { header: 'Date', width: 13, format: 'date', value: (r) => excelDate(r.tx.date) },
    { header: 'Salary Month', width: 13, value: (r) => formatMonthLong(r.salaryMonth) },
    { header: 'Employer', width: 30, value: (r) => r.employerName },
    { header: 'Amount', width: 15, format: 'inr', value: (r) => rupees(r.tx.amountPaise) },
    { header: 'Balance', width: 17, format: 'inr', value: (r) => rupees(r.tx.balancePaise) },
    { header: 'Days Late', width: 10, value: (r) => r.daysLate },
    { header: 'Change %', width: 10, value: (r) => r.changePercent },
    { header: 'Narration', width: 60, value: (r) => r.tx.narration },
    { header: 'Channel', width: 22, value: (r) => channelName(r.tx.enrichment.channel) },
    { header: 'Page', width: 6, value: (r) => r.tx.page },
    { header: 'Hash', width: 34, value: (r) => r.tx.hash },
    { header: 'Statement ID', width: 38, value: (r) => r.tx.statementId },
  ];
  await writeTable(workbook, 'Salary', withAccount<SalaryRow>(aggregated, accountColumn, columns), rows());
}

/** One row per member, the set's own columns repeated so that a filter on them keeps whole sets. */
async function writeRecurring(workbook: ExcelJS.stream.xlsx.WorkbookWriter, accounts: PreparedAccount[], aggregated: boolean): Promise<void> {
  type MemberRow = { account: PreparedAccount; set: RecurringSet; setNumber: number; hash: string; tx: EnrichedTransaction | undefined };
  function* rows(): Generator<MemberRow> {
    for (const account of accounts) {
      let setNumber = 0;
      for (const set of [...account.analysis.recurring.debit, ...account.analysis.recurring.credit]) {
        setNumber++;
        for (const hash of set.hashes) yield { account, set, setNumber, hash, tx: account.byHash.get(hash) };
      }
    }
  }
  const columns: Column<MemberRow>[] = [
    { header: 'Set', width: 6, value: (r) => r.setNumber },
    { header: 'Type', width: 8, value: (r) => r.set.type },
    { header: 'Channel', width: 22, value: (r) => channelName(r.set.channel) },
    { header: 'Note', width: 36, value: (r) => r.set.cleanNote },
    { header: 'Median', width: 15, format: 'inr', value: (r) => rupees(r.set.medianPaise) },
    { header: 'Start', width: 13, format: 'date', value: (r) => excelDate(r.set.startDate) },
    { header: 'End', width: 13, format: 'date', value: (r) => excelDate(r.set.endDate) },
    { header: 'Members', width: 9, value: (r) => r.set.hashes.length },
    { header: 'Date', width: 13, format: 'date', value: (r) => excelDate(r.tx?.date) },
    { header: 'Amount', width: 15, format: 'inr', value: (r) => rupees(r.tx?.amountPaise) },
    { header: 'Narration', width: 60, value: (r) => r.tx?.narration ?? null },
    { header: 'Page', width: 6, value: (r) => r.tx?.page ?? null },
    { header: 'Hash', width: 34, value: (r) => r.hash },
  ];
  const accountCol: Column<MemberRow> = { header: 'Account', width: 26, value: (r) => r.account.label };
  await writeTable(workbook, 'Recurring', withAccount(aggregated, accountCol, columns), rows());
}

// ---------------------------------------------------------------------------------------------
// Metrics

/** A metric's value as a cell: money in rupees with the INR format, dates as dates, the rest as they are. */
function metricCell(value: MetricValue, unit: MetricUnit): { value: Cell; format?: Format } {
  if (value === null) return { value: null };
  if (typeof value === 'number') return unit === 'paise' ? { value: value / 100, format: 'inr' } : { value };
  if (typeof value === 'string' && unit === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { value: excelDate(value as CalendarDate), format: 'date' };
  if (typeof value === 'string' && unit === 'month' && /^\d{4}-\d{2}$/.test(value)) return { value: formatMonthLong(value) };
  return { value };
}

function addFormattedRow(sheet: ExcelJS.Worksheet, cells: { value: Cell; format?: Format }[]): void {
  addDataRow(
    sheet,
    cells.map((c) => c.value),
    (i) => cells[i]?.format,
  );
}

/** Metric rows × month columns (`Mmm-YYYY`), in the analysis's metric order. */
async function writeMonthlyAnalysis(workbook: ExcelJS.stream.xlsx.WorkbookWriter, monthly: AccountAnalysis['monthlyAnalysis'] | null): Promise<void> {
  const sheet = addSheet(workbook, 'Monthly Analysis');
  const metrics = Object.keys(monthly ?? {});
  const months = [...new Set(metrics.flatMap((m) => Object.keys(monthly?.[m] ?? {})))].sort();
  sheet.columns = [{ width: 44 }, ...months.map(() => ({ width: 16 }))];
  const header = sheet.addRow(['Metric', ...months.map(formatMonthLong)]);
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 1 + months.length } };
  for (const metric of metrics) {
    const unit = monthlyMetricUnit(metric);
    const values = monthly?.[metric] ?? {};
    addFormattedRow(sheet, [{ value: metric }, ...months.map((m) => metricCell(values[m] ?? null, unit))]);
  }
  sheet.commit();
}

async function writeEodBalances(workbook: ExcelJS.stream.xlsx.WorkbookWriter, accounts: PreparedAccount[], aggregated: boolean): Promise<void> {
  type DayRow = { account: PreparedAccount; date: CalendarDate; balancePaise: number };
  function* rows(): Generator<DayRow> {
    for (const account of accounts) for (const day of account.analysis.eodBalances?.days ?? []) yield { account, ...day };
  }
  const columns: Column<DayRow>[] = [
    { header: 'Date', width: 13, format: 'date', value: (r) => excelDate(r.date) },
    { header: 'Balance', width: 17, format: 'inr', value: (r) => rupees(r.balancePaise) },
  ];
  const accountCol: Column<DayRow> = { header: 'Account', width: 26, value: (r) => r.account.label };
  await writeTable(workbook, 'EOD Balances', withAccount(aggregated, accountCol, columns), rows());
}

async function writePredictors(workbook: ExcelJS.stream.xlsx.WorkbookWriter, accounts: PreparedAccount[], aggregated: boolean): Promise<void> {
  const sheet = addSheet(workbook, 'Predictors');
  const headers = aggregated ? ['Account', 'Key', 'Value'] : ['Key', 'Value'];
  sheet.columns = [...(aggregated ? [{ width: 26 }] : []), { width: 52 }, { width: 20 }];
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  let written = 0;
  for (const account of accounts) {
    for (const [key, value] of Object.entries(account.analysis.predictors)) {
      const cells = [{ value: key }, metricCell(value, predictorUnit(key))];
      addFormattedRow(sheet, aggregated ? [{ value: account.label }, ...cells] : cells);
      if (++written % ROWS_PER_YIELD === 0) await letZipCatchUp(sheet);
    }
  }
  sheet.commit();
}
