/**
 * Reads one account's DEPOSIT FI data, as an FIP sends it after decryption (issue 12,
 * ../shared/reference/aa.md §6): ReBIT XML v1.x (deposit_v1.1.xsd), XML v2.0.0, and the JSON
 * renderings AAs make of either (Finvu-style ReBIT names, Setu-style lower-camel/snake names).
 * The result is Passbook's model: a StatementIdentity, a summary in paise, the period, and the
 * transactions oldest first. Anything that is not a usable DEPOSIT document is refused with a
 * DepositDataError, never returned as an empty success. docs/aa.md ("DEPOSIT data") explains.
 */
import { XMLParser } from 'fast-xml-parser';
import { parseAmount, signedBalance } from '../domain/money.ts';
import type { StatementIdentity, StatementTransaction } from '../domain/statement.ts';
import type { CalendarDate } from '../lib/calendar-date.ts';

export const DEPOSIT_NAMESPACE = 'http://api.rebit.org.in/FISchema/deposit';
/** Documents larger than this (bytes of UTF-8) are refused before parsing. */
export const MAX_DEPOSIT_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Documents with more transactions than this are refused. */
export const MAX_DEPOSIT_TRANSACTIONS = 200_000;

export type DepositErrorCode = 'NOT_DEPOSIT' | 'UNSUPPORTED_VERSION' | 'MALFORMED' | 'MISSING_FIELD' | 'TOO_LARGE';

export class DepositDataError extends Error {
  readonly code: DepositErrorCode;
  /** The field at fault, as the schema names it (`Transaction@amount`, `Account@version`), where one is. */
  readonly field: string | null;
  /** The transaction at fault: its 0-based place in the document and its txnId, where one is. */
  readonly transaction: { index: number; txnId: string | null } | null;
  constructor(code: DepositErrorCode, message: string, details: { field?: string; transaction?: { index: number; txnId: string | null } } = {}) {
    super(message);
    this.name = 'DepositDataError';
    this.code = code;
    this.field = details.field ?? null;
    this.transaction = details.transaction ?? null;
  }
}

/** v2.0.0's widened mode list; v1.x documents use CASH, ATM, CARD, UPI, FT, OTHERS of it. */
export const DEPOSIT_MODES = [
  'CASH', 'ATM', 'CARD', 'UPI', 'FT', 'IMPS', 'NEFT', 'RTGS', 'CHEQUE', 'DEMAND_DRAFT', 'AUTO_DEBIT',
  'INTEREST_CREDIT', 'NACH', 'ECS', 'REMITTANCE', 'OTHERS',
] as const;
export type DepositMode = (typeof DEPOSIT_MODES)[number];

export interface DepositHolder {
  name: string;
  dob: CalendarDate | null;
  mobile: string | null;
  landline: string | null;
  email: string | null;
  pan: string | null;
  address: string | null;
  nominee: string | null;
  /** v1 `ckycCompliance` (true/false) or v2 `ckycRegistered` (YES/NO/NO_DATA_AVAILABLE), as written. */
  ckyc: string | null;
}

export interface DepositSummary {
  currentBalancePaise: number;
  currency: string | null;
  /** As written (an xs:dateTime with its zone). */
  balanceDateTime: string | null;
  /** v1 `type`, or v2 `accountSubType` (falling back to `accountType` when that says SAVINGS/CURRENT). */
  accountType: 'SAVINGS' | 'CURRENT' | null;
  /** v2 `accountType` as written (REGULAR, NRE, …); null in v1. */
  accountCategory: string | null;
  branch: string | null;
  /** OD/CC (v1) or OVERDRAFT/CASH_CREDIT/NO_FACILITY_GRANTED (v2), as written. */
  facility: string | null;
  ifsc: string | null;
  micr: string | null;
  openingDate: CalendarDate | null;
  currentODLimitPaise: number | null;
  drawingLimitPaise: number | null;
  status: string | null;
  pending: { transactionType: string | null; amountPaise: number }[];
}

export type DepositTransaction = Omit<StatementTransaction, 'page' | 'bbox' | 'balancePaise'> & {
  /** The balance after this transaction (`currentBalance` in v1, `transactionalBalance` in v2). */
  balancePaise: number;
  /** `txnId`: the FIP's own id. */
  transactionId: string;
  reference: string;
  /** As written, upper-cased; not limited to DEPOSIT_MODES (FIPs write others). */
  mode: string;
  valueDate: CalendarDate | null;
  /** `transactionTimestamp` as written; null when absent (then `date` is the value date). */
  timestamp: string | null;
};

export interface DepositAccount {
  type: 'deposit';
  format: 'xml' | 'json';
  /** Account@version as written ("1.1", "2.0.0"). */
  version: string;
  schema: 1 | 2;
  maskedAccountNumber: string;
  linkedAccRef: string;
  fipId?: string;
  holdersType: string | null;
  holders: DepositHolder[];
  identity: StatementIdentity;
  summary: DepositSummary | null;
  period: { from: CalendarDate; to: CalendarDate } | null;
  /** Derived: the first transaction's balance before it; null without transactions. */
  openingBalancePaise: number | null;
  /** The last transaction's balance, or else the summary's current balance. */
  closingBalancePaise: number | null;
  /** Oldest first (by `date`); the document's order is kept within a day (reversed first if the document is newest first). */
  transactions: DepositTransaction[];
}

export interface ReadDepositOptions {
  /** The FIP the data came from (the FI/fetch response carries it, the document does not). */
  fipId?: string;
  maxBytes?: number;
  maxTransactions?: number;
}

// ---------------------------------------------------------------------------------------
// Entry point

export function readDeposit(document: Buffer | string, options: ReadDepositOptions = {}): DepositAccount {
  const maxBytes = options.maxBytes ?? MAX_DEPOSIT_DOCUMENT_BYTES;
  const maxTransactions = options.maxTransactions ?? MAX_DEPOSIT_TRANSACTIONS;
  const size = typeof document === 'string' ? Buffer.byteLength(document, 'utf8') : document.length;
  if (size > maxBytes) throw new DepositDataError('TOO_LARGE', `document is ${size} bytes, more than the ${maxBytes} accepted`);
  const text = decodeText(document).trimStart();
  if (text === '') throw new DepositDataError('MALFORMED', 'document is empty');
  let root: Node;
  let format: 'xml' | 'json';
  if (text.startsWith('<')) {
    format = 'xml';
    root = parseXml(text, maxTransactions);
  } else if (text.startsWith('{') || text.startsWith('[')) {
    format = 'json';
    root = parseJson(text);
  } else {
    throw new DepositDataError('MALFORMED', 'document is neither XML nor JSON');
  }
  const account = readAccount(root, format, maxTransactions);
  const fipId = options.fipId ?? str(get(root, 'fipId', 'fip_id'));
  if (fipId !== null) account.fipId = fipId;
  return account;
}

// ---------------------------------------------------------------------------------------
// Text, XML and JSON

type Node = Record<string, unknown>;

function decodeText(document: Buffer | string): string {
  if (typeof document === 'string') return document.replace(/^\uFEFF/, '');
  if (document[0] === 0xff && document[1] === 0xfe) return document.subarray(2).toString('utf16le');
  if (document[0] === 0xfe && document[1] === 0xff) {
    const swapped = Buffer.from(document.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return document.toString('utf8').replace(/^\uFEFF/, '');
}

const ARRAY_ELEMENTS = new Set(['Holder', 'Transaction', 'PendingTxn', 'Pending']);

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  // No entity processing at all (no DTD entities, so no expansion); the five predefined
  // entities and character references are decoded by decodeXmlText below.
  processEntities: false,
  htmlEntities: false,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => ARRAY_ELEMENTS.has(name),
});

function parseXml(text: string, maxTransactions: number): Node {
  // A DEPOSIT document never needs a DTD; refusing it rules out entity expansion and external entities.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new DepositDataError('MALFORMED', 'XML with a DTD (<!DOCTYPE>/<!ENTITY>) is not accepted');
  const rootTag = /<(?!\?|!)([\w.-]+:)?([\w.-]+)([^>]*)>/.exec(text.replace(/<!--[\s\S]*?-->/g, ''));
  if (!rootTag) throw new DepositDataError('MALFORMED', 'no XML element found');
  if (rootTag[2] !== 'Account') throw new DepositDataError('NOT_DEPOSIT', `root element is <${rootTag[2]}>, not <Account>`);
  const prefix = rootTag[1] ? rootTag[1].slice(0, -1) : '';
  const ns = new RegExp(`\\sxmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`).exec(rootTag[3] ?? '');
  if (ns && ns[1] !== DEPOSIT_NAMESPACE) throw new DepositDataError('NOT_DEPOSIT', `namespace ${ns[1]} is not ${DEPOSIT_NAMESPACE}`);
  const count = countMatches(text, /<([\w.-]+:)?Transaction[\s/>]/g, maxTransactions);
  if (count > maxTransactions) throw new DepositDataError('TOO_LARGE', `more than ${maxTransactions} transactions`);
  try {
    return decodeEntities(xmlParser.parse(text, true)) as Node;
  } catch (error) {
    // Not well-formed, or nested so deep that the parser ran out of stack.
    throw new DepositDataError('MALFORMED', `not well-formed XML: ${(error as Error).message}`);
  }
}

function countMatches(text: string, pattern: RegExp, stopAfter: number): number {
  let n = 0;
  while (pattern.exec(text) !== null) if (++n > stopAfter) break;
  return n;
}

function decodeXmlText(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name]!;
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function decodeEntities(value: unknown): unknown {
  if (typeof value === 'string') return decodeXmlText(value);
  if (Array.isArray(value)) return value.map(decodeEntities);
  if (value && typeof value === 'object') {
    const out: Node = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeEntities(v);
    return out;
  }
  return value;
}

function parseJson(text: string): Node {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DepositDataError('MALFORMED', `not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) {
    if (parsed.length !== 1) throw new DepositDataError('MALFORMED', `a JSON array of ${parsed.length} items; one account per document`);
    parsed = parsed[0];
  }
  if (!isNode(parsed)) throw new DepositDataError('MALFORMED', 'JSON document is not an object');
  // Wrappers seen in AA renderings: {Account: {...}}, {account: {...}}, {data: {...}}.
  const inner = get(parsed, 'Account', 'data');
  if (isNode(inner) && get(parsed, 'maskedAccNumber', 'masked_account_number') === undefined) return { ...inner, fipId: parsed.fipId ?? parsed.fip_id ?? inner.fipId };
  return parsed;
}

// ---------------------------------------------------------------------------------------
// Field access shared by XML and JSON: names match ignoring case, underscores and a leading @

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const keyOf = (name: string) => name.replace(/^@_?/, '').replace(/_/g, '').toLowerCase();

function get(node: unknown, ...names: string[]): unknown {
  if (!isNode(node)) return undefined;
  for (const name of names) if (node[name] !== undefined) return node[name];
  const wanted = new Set(names.map(keyOf));
  for (const [k, v] of Object.entries(node)) if (wanted.has(keyOf(k))) return v;
  return undefined;
}

function str(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === '' ? null : t;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

// ---------------------------------------------------------------------------------------
// Values

/** Rupee amounts as FIPs write them ("20.0", "1234.50", "-12.5", "1,234.00", or JSON numbers) → paise. */
export function depositAmountToPaise(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const paise = Math.round(value * 100);
    return Math.abs(paise - value * 100) < 1e-6 && Number.isSafeInteger(paise) ? paise : null;
  }
  const text = str(value);
  if (text === null) return null;
  // Extra decimals are accepted only when they are zeros ("20.000").
  const trimmed = text.replace(/^(.*\.\d{2})0+$/, '$1').replace(/^(.*\.\d)0+$/, '$1').replace(/\.0+$/, '');
  const parsed = parseAmount(trimmed);
  return parsed === null ? null : signedBalance(parsed);
}

function validDate(y: number, m: number, d: number): CalendarDate | null {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as CalendarDate;
}

/** xs:date or xs:dateTime (the day as written, no zone conversion), or DD-MM-YYYY / DD/MM/YYYY. */
export function depositDate(value: unknown): CalendarDate | null {
  const text = str(value);
  if (text === null) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$|Z$|[+-]\d{2}:\d{2}$)/.exec(text);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{2})[-/](\d{2})[-/](\d{4})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (m) return validDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

// ---------------------------------------------------------------------------------------
// The account

function versionSchema(version: string): 1 | 2 | null {
  if (/^1(\.\d+){0,2}$/.test(version)) return 1;
  if (/^2(\.0){0,2}$/.test(version)) return 2;
  return null;
}

function readAccount(root: Node, format: 'xml' | 'json', maxTransactions: number): DepositAccount {
  const account = format === 'xml' ? get(root, 'Account') : root;
  if (!isNode(account)) throw new DepositDataError('NOT_DEPOSIT', 'no Account');
  const type = str(get(account, 'type', 'fiType'));
  if (type === null) {
    const looksLikeAccount = ['maskedAccNumber', 'maskedAccountNumber', 'Summary', 'Transactions'].some((name) => get(account, name) !== undefined);
    if (!looksLikeAccount) throw new DepositDataError('NOT_DEPOSIT', 'no Account@type, masked account number, Summary or Transactions');
    throw new DepositDataError('MISSING_FIELD', 'Account@type is missing', { field: 'Account@type' });
  }
  if (type.toLowerCase() !== 'deposit') throw new DepositDataError('NOT_DEPOSIT', `Account@type is "${type}", not "deposit"`, { field: 'Account@type' });
  const version = str(get(account, 'version'));
  if (version === null) throw new DepositDataError('MISSING_FIELD', 'Account@version is missing', { field: 'Account@version' });
  const schema = versionSchema(version);
  if (schema === null) throw new DepositDataError('UNSUPPORTED_VERSION', `Account@version "${version}" is neither 1.x nor 2.0.0`, { field: 'Account@version' });
  const maskedAccountNumber = required(account, 'Account@maskedAccNumber', 'maskedAccNumber', 'maskedAccountNumber');
  const linkedAccRef = required(account, 'Account@linkedAccRef', 'linkedAccRef', 'linkRefNumber', 'linkedAccountRef');

  const profile = get(account, 'Profile');
  const holdersNode = get(profile, 'Holders');
  const holders = list(get(holdersNode, 'Holder')).map((h, i) => readHolder(h, i));
  const summaryNode = get(account, 'Summary');
  const summary = isNode(summaryNode) ? readSummary(summaryNode) : null;
  const transactionsNode = get(account, 'Transactions');
  const rows = list(get(transactionsNode, 'Transaction'));
  if (rows.length > maxTransactions) throw new DepositDataError('TOO_LARGE', `more than ${maxTransactions} transactions`);
  if (summary === null && rows.length === 0) {
    throw new DepositDataError('MISSING_FIELD', 'the account has neither a Summary nor any Transaction', { field: 'Summary|Transactions' });
  }
  let period: DepositAccount['period'] = null;
  if (isNode(transactionsNode)) {
    const from = dateField(transactionsNode, 'Transactions@startDate', 'startDate');
    const to = dateField(transactionsNode, 'Transactions@endDate', 'endDate');
    if (from > to) throw new DepositDataError('MALFORMED', `Transactions@startDate ${from} is after endDate ${to}`, { field: 'Transactions@startDate' });
    period = { from, to };
  }
  const transactions = orderOldestFirst(rows.map((row, index) => readTransaction(row, index, schema)));

  const first = holders[0] ?? null;
  const facility = summary?.facility?.toUpperCase() ?? null;
  const od = facility === 'OD' || facility === 'OVERDRAFT';
  const cc = facility === 'CC' || facility === 'CASH_CREDIT';
  const identity: StatementIdentity = {
    name: first?.name ?? null,
    accountNumber: maskedAccountNumber,
    ifsc: summary?.ifsc ?? null,
    micr: summary?.micr ?? null,
    address: first?.address ?? null,
    accountCategory: 'individual',
    accountType: summary?.accountType ?? null,
    odLimitPaise: od ? (summary?.drawingLimitPaise ?? null) : null,
    creditLimitPaise: cc ? (summary?.drawingLimitPaise ?? null) : null,
  };
  const firstTxn = transactions[0];
  const lastTxn = transactions.at(-1);
  return {
    type: 'deposit',
    format,
    version,
    schema,
    maskedAccountNumber,
    linkedAccRef,
    holdersType: str(get(holdersNode, 'type')),
    holders,
    identity,
    summary,
    period,
    openingBalancePaise: firstTxn ? firstTxn.balancePaise + (firstTxn.type === 'debit' ? firstTxn.amountPaise : -firstTxn.amountPaise) : null,
    closingBalancePaise: lastTxn ? lastTxn.balancePaise : (summary?.currentBalancePaise ?? null),
    transactions,
  };
}

function required(node: unknown, field: string, ...names: string[]): string {
  const value = str(get(node, ...names));
  if (value === null) throw new DepositDataError('MISSING_FIELD', `${field} is missing`, { field });
  return value;
}

function dateField(node: unknown, field: string, ...names: string[]): CalendarDate {
  const text = required(node, field, ...names);
  const date = depositDate(text);
  if (date === null) throw new DepositDataError('MALFORMED', `${field} "${text}" is not a date`, { field });
  return date;
}

function optionalDate(node: unknown, field: string, ...names: string[]): CalendarDate | null {
  return str(get(node, ...names)) === null ? null : dateField(node, field, ...names);
}

function optionalAmount(node: unknown, field: string, ...names: string[]): number | null {
  const raw = get(node, ...names);
  if (str(raw) === null) return null;
  const paise = depositAmountToPaise(raw);
  if (paise === null) throw new DepositDataError('MALFORMED', `${field} "${String(raw)}" is not an amount`, { field });
  return paise;
}

function readHolder(node: unknown, index: number): DepositHolder {
  const name = str(get(node, 'name'));
  if (name === null) throw new DepositDataError('MISSING_FIELD', `Holder ${index + 1} has no name`, { field: 'Holder@name' });
  return {
    name,
    dob: optionalDate(node, 'Holder@dob', 'dob'),
    mobile: str(get(node, 'mobile')),
    landline: str(get(node, 'landline')),
    email: str(get(node, 'email')),
    pan: str(get(node, 'pan')),
    address: str(get(node, 'address')),
    nominee: str(get(node, 'nominee')),
    ckyc: str(get(node, 'ckycRegistered', 'ckycCompliance')),
  };
}

function accountTypeOf(value: string | null): 'SAVINGS' | 'CURRENT' | null {
  const t = value?.toUpperCase();
  return t === 'SAVINGS' || t === 'CURRENT' ? t : null;
}

function readSummary(node: Node): DepositSummary {
  const currentBalancePaise = optionalAmount(node, 'Summary@currentBalance', 'currentBalance');
  if (currentBalancePaise === null) throw new DepositDataError('MISSING_FIELD', 'Summary@currentBalance is missing', { field: 'Summary@currentBalance' });
  const subType = str(get(node, 'accountSubType'));
  const v2Type = str(get(node, 'accountType'));
  const pendingNode = get(node, 'PendingTxns', 'pendingTxns');
  const pendingRows = [...list(get(node, 'Pending')), ...list(isNode(pendingNode) ? get(pendingNode, 'PendingTxn') : pendingNode)];
  return {
    currentBalancePaise,
    currency: str(get(node, 'currency')),
    balanceDateTime: str(get(node, 'balanceDateTime')),
    accountType: accountTypeOf(str(get(node, 'type'))) ?? accountTypeOf(subType) ?? accountTypeOf(v2Type),
    accountCategory: v2Type,
    branch: str(get(node, 'branch')),
    facility: str(get(node, 'facility')),
    ifsc: str(get(node, 'ifsc', 'ifscCode')),
    micr: str(get(node, 'micrCode', 'micr')),
    openingDate: optionalDate(node, 'Summary@openingDate', 'openingDate'),
    currentODLimitPaise: optionalAmount(node, 'Summary@currentODLimit', 'currentODLimit'),
    drawingLimitPaise: optionalAmount(node, 'Summary@drawingLimit', 'drawingLimit'),
    status: str(get(node, 'status')),
    pending: pendingRows.map((p) => ({
      transactionType: str(get(p, 'transactionType')),
      amountPaise: optionalAmount(p, 'Pending@amount', 'amount') ?? 0,
    })),
  };
}

const CHEQUE_NARRATION = /\b(CHQ|CHEQUE|CLG|CLEARING)\b/i;

function readTransaction(node: unknown, index: number, schema: 1 | 2): DepositTransaction {
  const txnId = str(get(node, 'txnId', 'transactionId'));
  const where = { index, txnId };
  const fail = (code: DepositErrorCode, field: string, what: string): never => {
    throw new DepositDataError(code, `Transaction ${index + 1}${txnId ? ` (txnId ${txnId})` : ''}: ${what}`, { field, transaction: where });
  };
  if (!isNode(node)) return fail('MALFORMED', 'Transaction', 'is not an element/object');
  if (txnId === null) fail('MISSING_FIELD', 'Transaction@txnId', 'txnId is missing');
  const typeText = str(get(node, 'type'))?.toUpperCase() ?? null;
  if (typeText === null) fail('MISSING_FIELD', 'Transaction@type', 'type is missing');
  if (typeText !== 'CREDIT' && typeText !== 'DEBIT') fail('MALFORMED', 'Transaction@type', `type "${typeText}" is neither CREDIT nor DEBIT`);
  const amountRaw = get(node, 'amount');
  if (str(amountRaw) === null) fail('MISSING_FIELD', 'Transaction@amount', 'amount is missing');
  const amountPaise = depositAmountToPaise(amountRaw);
  if (amountPaise === null || amountPaise < 0) fail('MALFORMED', 'Transaction@amount', `amount "${String(amountRaw)}" is not an amount`);
  // Both names are accepted in both versions; the version decides which is looked for first.
  const balanceNames = schema === 2 ? ['transactionalBalance', 'currentBalance'] : ['currentBalance', 'transactionalBalance'];
  const balanceField = `Transaction@${balanceNames[0]}`;
  const balanceRaw = get(node, ...balanceNames);
  if (str(balanceRaw) === null) fail('MISSING_FIELD', balanceField, `${balanceNames[0]} is missing`);
  const balancePaise = depositAmountToPaise(balanceRaw);
  if (balancePaise === null) fail('MALFORMED', balanceField, `${balanceNames[0]} "${String(balanceRaw)}" is not an amount`);
  const timestamp = str(get(node, 'transactionTimestamp'));
  const valueDateText = str(get(node, 'valueDate'));
  const valueDate = valueDateText === null ? null : depositDate(valueDateText);
  if (valueDateText !== null && valueDate === null) fail('MALFORMED', 'Transaction@valueDate', `valueDate "${valueDateText}" is not a date`);
  const date = timestamp !== null ? depositDate(timestamp) : valueDate;
  if (timestamp !== null && date === null) fail('MALFORMED', 'Transaction@transactionTimestamp', `transactionTimestamp "${timestamp}" is not a date-time`);
  if (date === null) fail('MISSING_FIELD', 'Transaction@transactionTimestamp', 'neither transactionTimestamp nor valueDate is given');
  const narration = str(get(node, 'narration')) ?? '';
  const reference = str(get(node, 'reference')) ?? '';
  const mode = str(get(node, 'mode'))?.toUpperCase() ?? 'OTHERS';
  // v2 has a CHEQUE mode; v1 has none, so there a 6-digit reference on a cheque-worded row counts.
  const chqNum = reference !== '' && (mode === 'CHEQUE' || (schema === 1 && mode === 'OTHERS' && /^\d{6}$/.test(reference) && CHEQUE_NARRATION.test(narration))) ? reference : null;
  return {
    date: date!,
    narration,
    chqNum,
    type: typeText === 'CREDIT' ? 'credit' : 'debit',
    amountPaise: amountPaise!,
    balancePaise: balancePaise!,
    transactionId: txnId!,
    reference,
    mode,
    valueDate,
    timestamp,
  };
}

function orderOldestFirst(rows: DepositTransaction[]): DepositTransaction[] {
  const first = rows[0];
  const last = rows.at(-1);
  const ordered = first && last && first.date > last.date ? [...rows].reverse() : rows;
  // Array.prototype.sort is stable: equal dates keep their order.
  return [...ordered].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
