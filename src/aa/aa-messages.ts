/**
 * ReBIT NBFC-AA API 2.0.0 bodies as the FIU sends and receives them (../shared/reference/aa.md
 * §3, §4; aa-specs/AA_2_0_0.yaml, FIU_2_0_0.yaml), the consent builder from Passbook's terms,
 * and the field readers that the client (aa-client.ts) and the notification checks
 * (aa-notifications.ts) share. docs/aa.md, "The FIU's client and notification checks".
 *
 * The readers apply the certification guidelines' rules to what is received: an empty string
 * counts as missing, ids are UUID-shaped, `timestamp` lies within ±15 minutes of now, enums are
 * exact. Each failure is an `AaSchemaError` naming the field, so callers can map it to their
 * own answer (a discarded response, or 400 InvalidRequest).
 */
import type { CalendarDate } from '../lib/calendar-date.ts';
import { parseFiPublicKey, type FiKeyMaterial } from './fi-crypto.ts';

/** A clock, as `src/ports/clock.ts` has it (restated: the AA protocol files import no ports). */
export type AaClock = () => Date;

export const AA_API_VERSION = '2.0.0';

/** The certification guidelines' window for `timestamp`, either side of now. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

// ---------------------------------------------------------------------------------------
// Enumerations

export const CONSENT_MODES = ['VIEW', 'STORE', 'QUERY', 'STREAM'] as const;
export const FETCH_TYPES = ['ONETIME', 'PERIODIC'] as const;
export const CONSENT_TYPES = ['PROFILE', 'SUMMARY', 'TRANSACTIONS'] as const;
/** 2.0.0's list plus the two insurance types 2.1.0 adds (same bodies otherwise; accepted on receipt). */
export const FI_TYPES = [
  'DEPOSIT',
  'TERM_DEPOSIT',
  'RECURRING_DEPOSIT',
  'SIP',
  'CP',
  'GOVT_SECURITIES',
  'EQUITIES',
  'BONDS',
  'DEBENTURES',
  'MUTUAL_FUNDS',
  'ETF',
  'IDR',
  'CIS',
  'AIF',
  'INSURANCE_POLICIES',
  'NPS',
  'INVIT',
  'REIT',
  'GSTR1_3B',
  'OTHER',
  'LIFE_INSURANCE',
  'GENERAL_INSURANCE',
] as const;
export const DATA_CONSUMER_TYPES = ['FIU', 'USER', 'AA'] as const;
export const DATA_PROVIDER_TYPES = ['FIP', 'AA'] as const;
export const CUSTOMER_IDENTIFIER_TYPES = ['MOBILE', 'EMAIL', 'OTHERS'] as const;
export const DATA_LIFE_UNITS = ['DAY', 'MONTH', 'YEAR', 'INF'] as const;
export const FREQUENCY_UNITS = ['HOUR', 'DAY', 'MONTH', 'YEAR', 'INF'] as const;
export const DATA_FILTER_TYPES = ['TRANSACTIONTYPE', 'TRANSACTIONAMOUNT'] as const;
export const DATA_FILTER_OPERATORS = ['=', '!=', '>', '<', '>=', '<='] as const;
/** `ConsentStatus.status` of /Consent/handle. */
export const CONSENT_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'READY', 'REJECTED', 'EXPIRED', 'FAILED'] as const;
/** `status` of a consent artefact (/Consent/fetch). */
export const CONSENT_ARTEFACT_STATUSES = ['ACTIVE', 'PAUSED', 'REVOKED', 'EXPIRED'] as const;
/** `consentStatus` of a consent notification. */
export const CONSENT_NOTIFICATION_STATUSES = ['ACTIVE', 'PENDING', 'REVOKED', 'PAUSED', 'REJECTED', 'EXPIRED'] as const;
export const FI_SESSION_STATUSES = ['ACTIVE', 'COMPLETED', 'EXPIRED', 'FAILED'] as const;
export const FI_ACCOUNT_STATUSES = ['READY', 'DENIED', 'PENDING', 'DELIVERED', 'TIMEOUT'] as const;
export const HEARTBEAT_STATUSES = ['UP', 'DOWN'] as const;

export type ConsentMode = (typeof CONSENT_MODES)[number];
export type FetchType = (typeof FETCH_TYPES)[number];
export type ConsentType = (typeof CONSENT_TYPES)[number];
export type FiType = (typeof FI_TYPES)[number];
export type DataConsumerType = (typeof DATA_CONSUMER_TYPES)[number];
export type DataProviderType = (typeof DATA_PROVIDER_TYPES)[number];
export type CustomerIdentifierType = (typeof CUSTOMER_IDENTIFIER_TYPES)[number];
export type DataLifeUnit = (typeof DATA_LIFE_UNITS)[number];
export type FrequencyUnit = (typeof FREQUENCY_UNITS)[number];
export type DataFilterType = (typeof DATA_FILTER_TYPES)[number];
export type DataFilterOperator = (typeof DATA_FILTER_OPERATORS)[number];
export type ConsentRequestStatus = (typeof CONSENT_REQUEST_STATUSES)[number];
export type ConsentArtefactStatus = (typeof CONSENT_ARTEFACT_STATUSES)[number];
export type ConsentNotificationStatus = (typeof CONSENT_NOTIFICATION_STATUSES)[number];
export type FiSessionStatus = (typeof FI_SESSION_STATUSES)[number];
export type FiAccountStatus = (typeof FI_ACCOUNT_STATUSES)[number];
export type HeartbeatStatus = (typeof HEARTBEAT_STATUSES)[number];

/** The error codes of the AA and FIU error bodies (§2 of the reference). */
export type AaErrorCode =
  | 'InvalidRequest'
  | 'InvalidURI'
  | 'InvalidSecurity'
  | 'SignatureDoesNotMatch'
  | 'InvalidNotifier'
  | 'InvalidConsentId'
  | 'InvalidConsentStatus'
  | 'InvalidSessionId'
  | 'InvalidSessionStatus'
  | 'InvalidFIStatus'
  | 'Unauthorized'
  | 'NoSuchVersion'
  | 'IdempotencyError'
  | 'PreconditionFailed'
  | 'InternalError'
  | 'NotImplemented'
  | 'ServiceUnavailable';

// ---------------------------------------------------------------------------------------
// Purposes (reference §8)

export type PurposeCode = '101' | '102' | '103' | '104' | '105';

const PURPOSES: Record<PurposeCode, { text: string; category: string }> = {
  '101': { text: 'Wealth management service', category: 'Personal Finance' },
  '102': { text: 'Customer spending patterns, budget or other reportings', category: 'Personal Finance' },
  '103': { text: 'Aggregated statement', category: 'Financial Reporting' },
  '104': { text: 'Explicit consent for monitoring of the accounts', category: 'Account Query and Monitoring' },
  '105': { text: 'Explicit one-time consent for the accounts', category: 'Account Query and Monitoring' },
};

/** The one `refUri` the guidelines accept for a purpose code. */
export function purposeRefUri(code: string): string {
  return `https://api.rebit.org.in/aa/purpose/${code}.xml`;
}

// ---------------------------------------------------------------------------------------
// Bodies

export interface AaEnvelope {
  ver: string;
  timestamp: string;
  txnid: string;
}

export interface Purpose {
  code: string;
  refUri?: string;
  text?: string;
  Category?: { type?: string };
}

export interface FiDataRange {
  from: string;
  to: string;
}

export interface DataLife {
  unit: DataLifeUnit;
  value: number;
}

export interface Frequency {
  unit: FrequencyUnit;
  value: number;
}

export interface DataFilter {
  type: DataFilterType;
  operator: DataFilterOperator;
  value: string;
}

export interface CustomerIdentifier {
  type: CustomerIdentifierType;
  value: string;
}

/** What both the consent request and the signed consent say about the terms. */
interface ConsentTermsOnWire {
  consentStart: string;
  consentExpiry: string;
  consentMode: ConsentMode;
  fetchType: FetchType;
  consentTypes: ConsentType[];
  fiTypes: FiType[];
  DataConsumer: { id: string; type: DataConsumerType };
  Purpose: Purpose;
  FIDataRange: FiDataRange;
  DataLife: DataLife;
  Frequency: Frequency;
  DataFilter?: DataFilter[];
}

/** `ConsentDetail` of POST /Consent. */
export interface ConsentDetail extends ConsentTermsOnWire {
  Customer: { id: string; Identifiers?: CustomerIdentifier[] };
}

export interface ConsentAccount {
  fiType: string;
  fipId: string;
  accType: string;
  linkRefNumber: string;
  maskedAccNumber: string;
}

/** The payload of `signedConsent`: the terms plus who provides the data and from which accounts. */
export interface SignedConsentDetail extends ConsentTermsOnWire {
  DataProvider: { id: string; type: DataProviderType };
  Customer: { id: string };
  Accounts: ConsentAccount[];
}

export interface ConsentUse {
  logUri: string;
  count: number;
  lastUseDateTime: string;
}

export interface ConsentRequestBody extends AaEnvelope {
  ConsentDetail: ConsentDetail;
}

export interface ConsentResponseBody extends AaEnvelope {
  Customer: { id: string };
  ConsentHandle: string;
}

export interface ConsentHandleRequestBody extends AaEnvelope {
  ConsentHandle: string;
}

export interface ConsentHandleResponseBody extends AaEnvelope {
  ConsentHandle: string;
  ConsentStatus: { id?: string; status: ConsentRequestStatus };
}

export interface ConsentFetchRequestBody extends AaEnvelope {
  consentId: string;
}

/** /Consent/fetch's answer; the schema gives it no `timestamp`. */
export interface ConsentArtefact {
  ver: string;
  txnid: string;
  consentId: string;
  status: ConsentArtefactStatus;
  createTimestamp: string;
  signedConsent: string;
  ConsentUse: ConsentUse;
}

export interface FiRequestBody extends AaEnvelope {
  FIDataRange: FiDataRange;
  Consent: { id: string; digitalSignature: string };
  KeyMaterial: FiKeyMaterial;
}

export interface FiRequestResponseBody extends AaEnvelope {
  consentId: string;
  sessionId: string;
}

export interface FiFetchRequestBody extends AaEnvelope {
  sessionId: string;
  fipId?: string;
  linkRefNumber?: { id: string }[];
}

export interface FiFetchResponseBody extends AaEnvelope {
  FI: {
    fipID: string;
    data: { linkRefNumber: string; maskedAccNumber: string; encryptedFI: string }[];
    KeyMaterial: FiKeyMaterial;
  }[];
}

export interface HeartbeatResponseBody {
  ver: string;
  timestamp: string;
  Status: HeartbeatStatus;
  Error?: { code?: number; msg?: string; detail?: string };
}

export interface Notifier {
  type: string;
  id: string;
}

/** POST /Consent/Notification, AA → FIU. */
export interface ConsentNotificationBody extends AaEnvelope {
  Notifier: Notifier;
  ConsentStatusNotification: { consentId?: string; consentHandle?: string; consentStatus: ConsentNotificationStatus };
}

/** POST /FI/Notification, AA → FIU. */
export interface FiNotificationBody extends AaEnvelope {
  Notifier: Notifier;
  FIStatusNotification: {
    sessionId: string;
    sessionStatus: FiSessionStatus;
    FIStatusResponse: { fipID: string; Accounts: { linkRefNumber: string; FIStatus: FiAccountStatus; description: string }[] }[];
  };
}

/** Every non-2xx body, both ways. */
export interface AaErrorBody extends AaEnvelope {
  errorCode: AaErrorCode;
  errorMsg: string;
}

/** A notification's 200 answer. */
export interface AaOkBody extends AaEnvelope {
  response: 'OK';
}

// ---------------------------------------------------------------------------------------
// Values

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * An RFC 3339 date-time (the schemas' `format: date-time`) as an instant, or null. The offset
 * is required; `+0000` without the colon is accepted because the spec's own examples write it.
 */
export function parseDateTime(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
}

/** `timestamp` against the guidelines: a date-time within ±15 minutes of now. */
export function checkTimestamp(value: unknown, now: Date): 'ok' | 'invalid' | 'skewed' {
  if (typeof value !== 'string') return 'invalid';
  const at = parseDateTime(value);
  if (at === null) return 'invalid';
  return Math.abs(at.getTime() - now.getTime()) > MAX_CLOCK_SKEW_MS ? 'skewed' : 'ok';
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The guidelines' "v4-shaped" id: 36 characters, hex, hyphens at 9/14/19/24. The version digit
 * is not checked on receipt because the spec's own examples (and AAs) use v1 ids.
 */
export function isUuidShaped(text: string): boolean {
  return UUID_SHAPE.test(text);
}

/** A strict RFC 4122 version-4 UUID: what Passbook sends. */
export function isUuidV4(text: string): boolean {
  return UUID_V4.test(text);
}

/** UUIDs are case-insensitive on input (RFC 4122 §3), so an echo may change the case. */
export function sameUuid(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

// ---------------------------------------------------------------------------------------
// Field readers

export type JsonObject = Record<string, unknown>;

export class AaSchemaError extends Error {
  /** the field in schema terms, e.g. `FI[0].KeyMaterial.Nonce`; '' for the body itself */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(field === '' ? problem : `${field}: ${problem}`);
    this.name = 'AaSchemaError';
    this.field = field;
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as a JSON object, or null when it is not UTF-8 JSON or not an object. */
export function parseJsonObject(raw: Uint8Array | string): JsonObject | null {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return isJsonObject(value) ? value : null;
}

export function fieldPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Own properties only: a body's `constructor` or `__proto__` is never read from the prototype. */
export function fieldOf(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function asObject(value: unknown, path: string): JsonObject {
  if (value === undefined || value === null) throw new AaSchemaError(path, 'is missing');
  if (!isJsonObject(value)) throw new AaSchemaError(path, 'is not an object');
  return value;
}

export function objectAt(o: JsonObject, key: string, path: string): JsonObject {
  return asObject(fieldOf(o, key), fieldPath(path, key));
}

export function optionalObjectAt(o: JsonObject, key: string, path: string): JsonObject | null {
  const v = fieldOf(o, key);
  return v === undefined || v === null ? null : asObject(v, fieldPath(path, key));
}

/** A required string; the guidelines count an empty (or blank) string as missing. */
export function stringAt(o: JsonObject, key: string, path: string): string {
  const v = fieldOf(o, key);
  const at = fieldPath(path, key);
  if (v === undefined || v === null) throw new AaSchemaError(at, 'is missing');
  if (typeof v !== 'string') throw new AaSchemaError(at, 'is not a string');
  if (v.trim() === '') throw new AaSchemaError(at, 'is empty');
  return v;
}

/** An optional string: null when absent, null or empty. */
export function optionalStringAt(o: JsonObject, key: string, path: string): string | null {
  const v = fieldOf(o, key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new AaSchemaError(fieldPath(path, key), 'is not a string');
  return v.trim() === '' ? null : v;
}

export function enumAt<T extends string>(o: JsonObject, key: string, values: readonly T[], path: string): T {
  const v = stringAt(o, key, path);
  if (!(values as readonly string[]).includes(v)) throw new AaSchemaError(fieldPath(path, key), `is not one of ${values.join(', ')}`);
  return v as T;
}

export function arrayAt(o: JsonObject, key: string, path: string, minItems = 0): unknown[] {
  const v = fieldOf(o, key);
  const at = fieldPath(path, key);
  if (v === undefined || v === null) throw new AaSchemaError(at, 'is missing');
  if (!Array.isArray(v)) throw new AaSchemaError(at, 'is not an array');
  if (v.length < minItems) throw new AaSchemaError(at, `has ${v.length} items, at least ${minItems} are required`);
  return v as unknown[];
}

export function enumArrayAt<T extends string>(o: JsonObject, key: string, values: readonly T[], path: string): T[] {
  return arrayAt(o, key, path, 1).map((item, i) => {
    if (typeof item !== 'string' || !(values as readonly string[]).includes(item)) {
      throw new AaSchemaError(fieldPath(fieldPath(path, key), i), `is not one of ${values.join(', ')}`);
    }
    return item as T;
  });
}

/** A number; a plain decimal string ("4") is taken too, since AAs write both. */
export function numberAt(o: JsonObject, key: string, path: string, rules: { integer?: boolean; min?: number } = {}): number {
  const v = fieldOf(o, key);
  const at = fieldPath(path, key);
  if (v === undefined || v === null || v === '') throw new AaSchemaError(at, 'is missing');
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new AaSchemaError(at, 'is not a number');
  if (rules.integer && !Number.isInteger(n)) throw new AaSchemaError(at, 'is not a whole number');
  if (rules.min !== undefined && n < rules.min) throw new AaSchemaError(at, `is below ${rules.min}`);
  return n;
}

/** A required date-time string, returned as written. */
export function dateTimeAt(o: JsonObject, key: string, path: string): string {
  const v = stringAt(o, key, path);
  if (parseDateTime(v) === null) throw new AaSchemaError(fieldPath(path, key), 'is not an ISO 8601 date-time with an offset');
  return v;
}

export function uuidAt(o: JsonObject, key: string, path: string): string {
  const v = stringAt(o, key, path);
  if (!isUuidShaped(v)) throw new AaSchemaError(fieldPath(path, key), 'is not a UUID');
  return v;
}

// ---------------------------------------------------------------------------------------
// Composite readers (consent terms, key material)

function readPurpose(o: JsonObject, path: string): Purpose {
  const p = objectAt(o, 'Purpose', path);
  const at = fieldPath(path, 'Purpose');
  const code = stringAt(p, 'code', at);
  const purpose: Purpose = { code };
  const refUri = optionalStringAt(p, 'refUri', at);
  if (refUri !== null) {
    if (refUri !== purposeRefUri(code)) throw new AaSchemaError(fieldPath(at, 'refUri'), `is not ${purposeRefUri(code)}`);
    purpose.refUri = refUri;
  }
  const text = optionalStringAt(p, 'text', at);
  if (text !== null) purpose.text = text;
  const category = optionalObjectAt(p, 'Category', at);
  if (category !== null) {
    const type = optionalStringAt(category, 'type', fieldPath(at, 'Category'));
    purpose.Category = type === null ? {} : { type };
  }
  return purpose;
}

function readRange(o: JsonObject, path: string): FiDataRange {
  const r = objectAt(o, 'FIDataRange', path);
  const at = fieldPath(path, 'FIDataRange');
  const from = dateTimeAt(r, 'from', at);
  const to = dateTimeAt(r, 'to', at);
  if ((parseDateTime(from) as Date) > (parseDateTime(to) as Date)) throw new AaSchemaError(at, '`from` is after `to`');
  return { from, to };
}

function readTerms(o: JsonObject, path: string): ConsentTermsOnWire {
  const consentStart = dateTimeAt(o, 'consentStart', path);
  const consentExpiry = dateTimeAt(o, 'consentExpiry', path);
  if ((parseDateTime(consentStart) as Date) > (parseDateTime(consentExpiry) as Date)) {
    throw new AaSchemaError(fieldPath(path, 'consentExpiry'), 'is before consentStart');
  }
  const consentMode = enumAt(o, 'consentMode', CONSENT_MODES, path);
  const fetchType = enumAt(o, 'fetchType', FETCH_TYPES, path);
  const consentTypes = enumArrayAt(o, 'consentTypes', CONSENT_TYPES, path);
  const fiTypes = enumArrayAt(o, 'fiTypes', FI_TYPES, path);
  const consumer = objectAt(o, 'DataConsumer', path);
  const DataConsumer = {
    id: stringAt(consumer, 'id', fieldPath(path, 'DataConsumer')),
    type: enumAt(consumer, 'type', DATA_CONSUMER_TYPES, fieldPath(path, 'DataConsumer')),
  };
  const Purpose = readPurpose(o, path);
  const FIDataRange = readRange(o, path);

  const life = objectAt(o, 'DataLife', path);
  const lifeAt = fieldPath(path, 'DataLife');
  const DataLife: DataLife = { unit: enumAt(life, 'unit', DATA_LIFE_UNITS, lifeAt), value: numberAt(life, 'value', lifeAt, { integer: true, min: 0 }) };
  if (DataLife.unit === 'INF' && DataLife.value !== 0) throw new AaSchemaError(fieldPath(lifeAt, 'value'), 'must be 0 when the unit is INF');
  // The guidelines: data may be kept (a DataLife above 0) only under a STORE consent.
  if (DataLife.value > 0 && consentMode !== 'STORE') throw new AaSchemaError(fieldPath(lifeAt, 'value'), 'must be 0 unless consentMode is STORE');

  const freq = objectAt(o, 'Frequency', path);
  const freqAt = fieldPath(path, 'Frequency');
  const unit = enumAt(freq, 'unit', FREQUENCY_UNITS, freqAt);
  const Frequency: Frequency = { unit, value: numberAt(freq, 'value', freqAt, { integer: true, min: unit === 'INF' ? 0 : 1 }) };

  const terms: ConsentTermsOnWire = {
    consentStart,
    consentExpiry,
    consentMode,
    fetchType,
    consentTypes,
    fiTypes,
    DataConsumer,
    Purpose,
    FIDataRange,
    DataLife,
    Frequency,
  };
  if (fieldOf(o, 'DataFilter') !== undefined && fieldOf(o, 'DataFilter') !== null) {
    terms.DataFilter = arrayAt(o, 'DataFilter', path).map((item, i) => {
      const at = fieldPath(fieldPath(path, 'DataFilter'), i);
      const f = asObject(item, at);
      return { type: enumAt(f, 'type', DATA_FILTER_TYPES, at), operator: enumAt(f, 'operator', DATA_FILTER_OPERATORS, at), value: stringAt(f, 'value', at) };
    });
  }
  return terms;
}

/** A `ConsentDetail` (what POST /Consent sends), checked field by field. */
export function readConsentDetail(value: unknown, path = 'ConsentDetail'): ConsentDetail {
  const o = asObject(value, path);
  const terms = readTerms(o, path);
  const customer = objectAt(o, 'Customer', path);
  const customerAt = fieldPath(path, 'Customer');
  const Customer: ConsentDetail['Customer'] = { id: stringAt(customer, 'id', customerAt) };
  if (fieldOf(customer, 'Identifiers') !== undefined && fieldOf(customer, 'Identifiers') !== null) {
    Customer.Identifiers = arrayAt(customer, 'Identifiers', customerAt).map((item, i) => {
      const at = fieldPath(fieldPath(customerAt, 'Identifiers'), i);
      const idf = asObject(item, at);
      return { type: enumAt(idf, 'type', CUSTOMER_IDENTIFIER_TYPES, at), value: stringAt(idf, 'value', at) };
    });
  }
  return { ...terms, Customer };
}

/** The payload of a consent artefact's `signedConsent`, checked field by field. */
export function readSignedConsentDetail(value: unknown, path = 'signedConsent'): SignedConsentDetail {
  const o = asObject(value, path);
  const terms = readTerms(o, path);
  const provider = objectAt(o, 'DataProvider', path);
  const providerAt = fieldPath(path, 'DataProvider');
  const DataProvider = { id: stringAt(provider, 'id', providerAt), type: enumAt(provider, 'type', DATA_PROVIDER_TYPES, providerAt) };
  const Customer = { id: stringAt(objectAt(o, 'Customer', path), 'id', fieldPath(path, 'Customer')) };
  const Accounts = arrayAt(o, 'Accounts', path, 1).map((item, i) => {
    const at = fieldPath(fieldPath(path, 'Accounts'), i);
    const a = asObject(item, at);
    return {
      fiType: stringAt(a, 'fiType', at),
      fipId: stringAt(a, 'fipId', at),
      accType: stringAt(a, 'accType', at),
      linkRefNumber: stringAt(a, 'linkRefNumber', at),
      maskedAccNumber: stringAt(a, 'maskedAccNumber', at),
    };
  });
  return { ...terms, DataProvider, Customer, Accounts };
}

const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})$/;

/**
 * A peer's `KeyMaterial` (a FIP's, from /FI/fetch). Beyond the schema: the algorithm is ECDH
 * (or Rahasya's `X25519` with an empty curve), the public key parses as one of the two curve
 * forms (fi-crypto.ts), the nonce is 32 bytes, and the key has not expired (with the same
 * 15-minute allowance as timestamps). Optional texts come back as '' so the result is a
 * `FiKeyMaterial` that `decryptFi` takes as is.
 */
export function readKeyMaterial(value: unknown, path: string, now: Date): FiKeyMaterial {
  const km = asObject(value, path);
  const cryptoAlg = stringAt(km, 'cryptoAlg', path);
  if (!['ECDH', 'X25519'].includes(cryptoAlg.toUpperCase())) throw new AaSchemaError(fieldPath(path, 'cryptoAlg'), 'is not ECDH');
  const curve = optionalStringAt(km, 'curve', path);
  if (curve === null ? cryptoAlg.toUpperCase() !== 'X25519' : !['CURVE25519', 'X25519'].includes(curve.toUpperCase())) {
    throw new AaSchemaError(fieldPath(path, 'curve'), 'is neither Curve25519 nor X25519');
  }
  const params = optionalStringAt(km, 'params', path) ?? '';
  const dh = objectAt(km, 'DHPublicKey', path);
  const dhAt = fieldPath(path, 'DHPublicKey');
  const expiry = dateTimeAt(dh, 'expiry', dhAt);
  if ((parseDateTime(expiry) as Date).getTime() < now.getTime() - MAX_CLOCK_SKEW_MS) throw new AaSchemaError(fieldPath(dhAt, 'expiry'), 'has passed');
  const parameters = optionalStringAt(dh, 'Parameters', dhAt) ?? '';
  const keyValue = stringAt(dh, 'KeyValue', dhAt);
  try {
    parseFiPublicKey(keyValue);
  } catch {
    throw new AaSchemaError(fieldPath(dhAt, 'KeyValue'), 'is not a Curve25519 or X25519 public key');
  }
  const nonce = stringAt(km, 'Nonce', path);
  const compact = nonce.replace(/\s+/g, '');
  if (!BASE64.test(compact) || Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64').length !== 32) {
    throw new AaSchemaError(fieldPath(path, 'Nonce'), 'is not base64 of 32 bytes');
  }
  return { cryptoAlg, curve: curve ?? '', params, DHPublicKey: { expiry, Parameters: parameters, KeyValue: keyValue }, Nonce: nonce };
}

// ---------------------------------------------------------------------------------------
// Building a consent request from Passbook's terms

/** India's banks keep their days in IST, so a statement day runs from 00:00 to 24:00 +05:30. */
const IST_OFFSET_MINUTES = 330;

function calendarDateParts(date: CalendarDate, what: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) throw new RangeError(`${what} is not a calendar date`);
  return [y, mo, d];
}

/**
 * `FIDataRange` for whole days: from the first day's 00:00 IST to the last day's 23:59:59.999
 * IST, written in UTC like every other timestamp Passbook sends.
 */
export function fiDataRange(from: CalendarDate, to: CalendarDate): FiDataRange {
  const [fy, fm, fd] = calendarDateParts(from, 'range.from');
  const [ty, tm, td] = calendarDateParts(to, 'range.to');
  const start = Date.UTC(fy, fm - 1, fd) - IST_OFFSET_MINUTES * 60_000;
  const end = Date.UTC(ty, tm - 1, td + 1) - IST_OFFSET_MINUTES * 60_000 - 1;
  if (start > end) throw new RangeError('range.from is after range.to');
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export interface ConsentTerms {
  /** the statement days asked for, both included */
  range: { from: CalendarDate; to: CalendarDate };
  fetchType: FetchType;
  consentStart: Date;
  consentExpiry: Date;
  frequency: Frequency;
  /** default: 103 (aggregated statement) for ONETIME underwriting, 104 (monitoring) for PERIODIC */
  purposeCode?: PurposeCode;
  /** how long Passbook may keep the data; default 30 days (Sahamati's lending templates) */
  dataLife?: DataLife;
  /** the customer's 10-digit mobile number */
  mobile: string;
  /** the AA's handle suffix, e.g. `onemoney` in `9999999999@onemoney` */
  aaHandle: string;
  /** Passbook's FIU id, as registered in Sahamati's Central Registry */
  fiuId: string;
}

const DEFAULT_DATA_LIFE: DataLife = { unit: 'DAY', value: 30 };

/**
 * The `ConsentDetail` of a Passbook consent request: STORE mode, PROFILE + SUMMARY +
 * TRANSACTIONS of DEPOSIT accounts, for `<mobile>@<aaHandle>`, consumed by the FIU. The result
 * is checked with the same reader as received consents (strict in what is sent); a term that
 * does not fit throws (RangeError for the inputs, AaSchemaError for the assembled body).
 */
export function consentDetail(terms: ConsentTerms): ConsentDetail {
  if (!/^\d{10}$/.test(terms.mobile)) throw new RangeError('mobile must be 10 digits');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(terms.aaHandle)) throw new RangeError('aaHandle must be a plain AA handle such as "onemoney"');
  if (terms.fiuId.trim() === '') throw new RangeError('fiuId is empty');
  for (const [name, d] of [['consentStart', terms.consentStart], ['consentExpiry', terms.consentExpiry]] as const) {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${name} is not a valid date`);
  }
  if (terms.consentStart >= terms.consentExpiry) throw new RangeError('consentExpiry must be after consentStart');
  const code = terms.purposeCode ?? (terms.fetchType === 'PERIODIC' ? '104' : '103');
  const purpose = PURPOSES[code];
  const detail: ConsentDetail = {
    consentStart: terms.consentStart.toISOString(),
    consentExpiry: terms.consentExpiry.toISOString(),
    consentMode: 'STORE',
    fetchType: terms.fetchType,
    consentTypes: ['PROFILE', 'SUMMARY', 'TRANSACTIONS'],
    fiTypes: ['DEPOSIT'],
    DataConsumer: { id: terms.fiuId, type: 'FIU' },
    Customer: { id: `${terms.mobile}@${terms.aaHandle}`, Identifiers: [{ type: 'MOBILE', value: terms.mobile }] },
    Purpose: { code, refUri: purposeRefUri(code), text: purpose.text, Category: { type: purpose.category } },
    FIDataRange: fiDataRange(terms.range.from, terms.range.to),
    DataLife: { ...(terms.dataLife ?? DEFAULT_DATA_LIFE) },
    Frequency: { ...terms.frequency },
  };
  readConsentDetail(detail);
  return detail;
}
