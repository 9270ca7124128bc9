/**
 * Reading the FIU's requests to the sandbox AA as ReBIT NBFC-AA API 2.0.0 defines them
 * (../shared/reference/aa.md §3): the common envelope (ver, timestamp, txnid), the typed fields
 * of each body, and the ReBIT error (`{ver, timestamp, txnid, errorCode, errorMsg}` with the
 * spec's status). The first problem found is the one reported, as certification expects
 * (syntax, then schema, then business rules). Error messages name fields, never their values:
 * a value may be a customer's mobile number.
 */
import { isUuid } from '../../lib/ids.ts';
import { PURPOSE_TEXTS } from './sandbox-consent-page.ts';
import { isSandboxMobile, type SandboxDataFilter } from './sandbox-customers.ts';

export const API_VERSION = '2.0.0';
/** Requests whose timestamp is further than this from the sandbox's clock are refused. */
export const TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000;

export type AaErrorCode =
  | 'InvalidRequest'
  | 'InvalidURI'
  | 'SignatureDoesNotMatch'
  | 'InvalidCustomerAddress'
  | 'InvalidConsentPurpose'
  | 'InvalidConsentHandle'
  | 'InvalidConsentId'
  | 'InvalidKey'
  | 'InvalidDateRange'
  | 'InvalidConsentStatus'
  | 'InvalidConsentDetail'
  | 'InvalidConsentUse'
  | 'InvalidFIPId'
  | 'InvalidSessionId'
  | 'InvalidNotifier'
  | 'InvalidFIStatusNotification'
  | 'Unauthorized'
  | 'DataFetchRequestInProgress'
  | 'ConsentExpired'
  | 'ConsentRevoked'
  | 'ConsentPaused'
  | 'NoSuchVersion'
  | 'NoDataFound'
  | 'IdempotencyError'
  | 'DataGone'
  | 'InternalError';

const STATUS: Record<AaErrorCode, number> = {
  InvalidRequest: 400,
  InvalidURI: 400,
  SignatureDoesNotMatch: 400,
  InvalidCustomerAddress: 400,
  InvalidConsentPurpose: 400,
  InvalidConsentHandle: 400,
  InvalidConsentId: 400,
  InvalidKey: 400,
  InvalidDateRange: 400,
  InvalidConsentStatus: 400,
  InvalidConsentDetail: 400,
  InvalidConsentUse: 400,
  InvalidFIPId: 400,
  InvalidSessionId: 400,
  InvalidNotifier: 400,
  InvalidFIStatusNotification: 400,
  Unauthorized: 401,
  DataFetchRequestInProgress: 403,
  ConsentExpired: 403,
  ConsentRevoked: 403,
  ConsentPaused: 403,
  NoSuchVersion: 404,
  NoDataFound: 404,
  IdempotencyError: 409,
  DataGone: 410,
  InternalError: 500,
};

/** A refusal in ReBIT's terms; the route turns it into the signed error body. */
export class AaApiError extends Error {
  readonly code: AaErrorCode;
  readonly status: number;
  constructor(code: AaErrorCode, message: string) {
    super(message);
    this.name = 'AaApiError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export type Json = Record<string, unknown>;

const invalid = (message: string) => new AaApiError('InvalidRequest', message);

export function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${field} is missing or not an object`);
  return value as Json;
}

/** A required string; an empty one counts as missing (certification's rule). */
export function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field} is missing or not a non-empty string`);
  return value;
}

export function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  return text(value, field);
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  const v = text(value, field);
  if (!(allowed as readonly string[]).includes(v)) throw invalid(`${field} must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function number(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${field} is missing or not a number`);
  return value;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 date-time with a zone (`Z`, `+05:30` or `+0000`). */
export function dateTime(value: unknown, field: string): Date {
  const v = text(value, field);
  if (!DATE_TIME.test(v)) throw invalid(`${field} is not an ISO 8601 date-time with a time zone`);
  // `+0000` (no colon) is common in AA payloads; Date.parse wants `+00:00`.
  const at = new Date(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(at.getTime())) throw invalid(`${field} is not a valid date-time`);
  return at;
}

export function uuid(value: unknown, field: string): string {
  const v = text(value, field);
  if (!isUuid(v)) throw invalid(`${field} is not a UUID`);
  return v;
}

/** The txnid of a body, when it has a usable one (for echoing in an error). */
export function txnidOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const t = (body as Json)['txnid'];
  return typeof t === 'string' && isUuid(t) ? t : null;
}

/** ver, txnid and timestamp, checked in that order. */
export function checkEnvelope(body: Json, now: Date): { txnid: string } {
  const ver = body['ver'];
  if (ver === undefined || ver === null || ver === '') throw invalid('ver is missing');
  if (ver !== API_VERSION) throw new AaApiError('NoSuchVersion', `ver must be "${API_VERSION}"`);
  const txnid = uuid(body['txnid'], 'txnid');
  const at = dateTime(body['timestamp'], 'timestamp');
  if (Math.abs(at.getTime() - now.getTime()) > TIMESTAMP_TOLERANCE_MS) throw invalid('timestamp is more than 15 minutes away from the AA clock');
  return { txnid };
}

// ---------------------------------------------------------------------------------------
// POST /Consent

export const CONSENT_MODES = ['VIEW', 'STORE', 'QUERY', 'STREAM'] as const;
export const FETCH_TYPES = ['ONETIME', 'PERIODIC'] as const;
export const CONSENT_TYPES = ['PROFILE', 'SUMMARY', 'TRANSACTIONS'] as const;
export const FI_TYPES = [
  'DEPOSIT', 'TERM_DEPOSIT', 'RECURRING_DEPOSIT', 'SIP', 'CP', 'GOVT_SECURITIES', 'EQUITIES', 'BONDS', 'DEBENTURES',
  'MUTUAL_FUNDS', 'ETF', 'IDR', 'CIS', 'AIF', 'INSURANCE_POLICIES', 'NPS', 'INVIT', 'REIT', 'GSTR1_3B', 'OTHER',
  'LIFE_INSURANCE', 'GENERAL_INSURANCE',
] as const;
const DATA_LIFE_UNITS = ['DAY', 'MONTH', 'YEAR', 'INF'] as const;
export const FREQUENCY_UNITS = ['HOUR', 'DAY', 'MONTH', 'YEAR', 'INF'] as const;
const FILTER_TYPES = ['TRANSACTIONTYPE', 'TRANSACTIONAMOUNT'] as const;
const FILTER_OPERATORS = ['=', '!=', '>', '<', '>=', '<='] as const;
const CONSUMER_TYPES = ['FIU', 'USER', 'AA'] as const;

export interface ConsentRequest {
  /** The ConsentDetail as received, minus Customer.Identifiers: the artefact is built from it. */
  detail: Json;
  start: Date;
  expiry: Date;
  fetchType: (typeof FETCH_TYPES)[number];
  consentTypes: string[];
  range: { from: Date; to: Date };
  frequency: { unit: (typeof FREQUENCY_UNITS)[number]; value: number };
  purposeCode: string;
  purposeText: string | null;
  customerId: string;
  mobile: string;
  filters: SandboxDataFilter[];
}

function stringList<T extends string>(value: unknown, field: string, allowed: readonly T[]): T[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${field} must be a non-empty list`);
  return value.map((v, i) => oneOf(v, `${field}[${i}]`, allowed));
}

/** POST /Consent's ConsentDetail, with the sandbox's own rules (who may ask, for whom). */
export function readConsentRequest(body: Json, expected: { fiuId: string; customerSuffix: string; now: Date }): ConsentRequest {
  const d = object(body['ConsentDetail'], 'ConsentDetail');
  const start = dateTime(d['consentStart'], 'ConsentDetail.consentStart');
  const expiry = dateTime(d['consentExpiry'], 'ConsentDetail.consentExpiry');
  const mode = oneOf(d['consentMode'], 'ConsentDetail.consentMode', CONSENT_MODES);
  const fetchType = oneOf(d['fetchType'], 'ConsentDetail.fetchType', FETCH_TYPES);
  const consentTypes = stringList(d['consentTypes'], 'ConsentDetail.consentTypes', CONSENT_TYPES);
  const fiTypes = stringList(d['fiTypes'], 'ConsentDetail.fiTypes', FI_TYPES);
  const consumer = object(d['DataConsumer'], 'ConsentDetail.DataConsumer');
  const consumerId = text(consumer['id'], 'ConsentDetail.DataConsumer.id');
  oneOf(consumer['type'], 'ConsentDetail.DataConsumer.type', CONSUMER_TYPES);
  const customer = object(d['Customer'], 'ConsentDetail.Customer');
  const customerId = text(customer['id'], 'ConsentDetail.Customer.id');
  const purpose = object(d['Purpose'], 'ConsentDetail.Purpose');
  const purposeCode = text(purpose['code'], 'ConsentDetail.Purpose.code');
  const refUri = optionalText(purpose['refUri'], 'ConsentDetail.Purpose.refUri');
  const purposeText = optionalText(purpose['text'], 'ConsentDetail.Purpose.text');
  if (purpose['Category'] !== undefined) object(purpose['Category'], 'ConsentDetail.Purpose.Category');
  const rangeIn = object(d['FIDataRange'], 'ConsentDetail.FIDataRange');
  const range = { from: dateTime(rangeIn['from'], 'ConsentDetail.FIDataRange.from'), to: dateTime(rangeIn['to'], 'ConsentDetail.FIDataRange.to') };
  const dataLife = object(d['DataLife'], 'ConsentDetail.DataLife');
  const lifeUnit = oneOf(dataLife['unit'], 'ConsentDetail.DataLife.unit', DATA_LIFE_UNITS);
  const lifeValue = number(dataLife['value'], 'ConsentDetail.DataLife.value');
  const frequencyIn = object(d['Frequency'], 'ConsentDetail.Frequency');
  const frequency = { unit: oneOf(frequencyIn['unit'], 'ConsentDetail.Frequency.unit', FREQUENCY_UNITS), value: number(frequencyIn['value'], 'ConsentDetail.Frequency.value') };
  const filters: SandboxDataFilter[] = [];
  if (d['DataFilter'] !== undefined) {
    if (!Array.isArray(d['DataFilter'])) throw invalid('ConsentDetail.DataFilter must be a list');
    d['DataFilter'].forEach((f: unknown, i) => {
      const filter = object(f, `ConsentDetail.DataFilter[${i}]`);
      filters.push({
        type: oneOf(filter['type'], `ConsentDetail.DataFilter[${i}].type`, FILTER_TYPES),
        operator: oneOf(filter['operator'], `ConsentDetail.DataFilter[${i}].operator`, FILTER_OPERATORS),
        value: text(filter['value'], `ConsentDetail.DataFilter[${i}].value`),
      });
    });
  }

  // Business rules, once the shape is right.
  if (expiry.getTime() <= start.getTime()) throw invalid('ConsentDetail.consentExpiry is not after consentStart');
  if (expiry.getTime() <= expected.now.getTime()) throw invalid('ConsentDetail.consentExpiry is in the past');
  if (range.from.getTime() > range.to.getTime()) throw invalid('ConsentDetail.FIDataRange.from is after to');
  if (!fiTypes.includes('DEPOSIT')) throw invalid('ConsentDetail.fiTypes must include DEPOSIT: the sandbox FIPs hold deposit accounts only');
  if (consumerId !== expected.fiuId) throw invalid('ConsentDetail.DataConsumer.id is not the FIU this sandbox serves');
  if (lifeValue < 0) throw invalid('ConsentDetail.DataLife.value must not be negative');
  if (lifeUnit === 'INF' && lifeValue !== 0) throw invalid('ConsentDetail.DataLife.value must be 0 when the unit is INF');
  if (mode !== 'STORE' && lifeValue !== 0) throw invalid('ConsentDetail.DataLife.value must be 0 unless consentMode is STORE');
  if (!Number.isInteger(frequency.value) || frequency.value < 1) throw invalid('ConsentDetail.Frequency.value must be a whole number of at least 1');

  const address = /^(\d{10})@(.+)$/.exec(customerId);
  if (!address || address[2] !== expected.customerSuffix || !isSandboxMobile(address[1]!)) {
    throw new AaApiError('InvalidCustomerAddress', `ConsentDetail.Customer.id must be a 10-digit mobile number @${expected.customerSuffix}`);
  }
  const mobile = address[1]!;
  if (customer['Identifiers'] !== undefined) {
    if (!Array.isArray(customer['Identifiers'])) throw invalid('ConsentDetail.Customer.Identifiers must be a list');
    customer['Identifiers'].forEach((item: unknown, i) => {
      const identifier = object(item, `ConsentDetail.Customer.Identifiers[${i}]`);
      const type = oneOf(identifier['type'], `ConsentDetail.Customer.Identifiers[${i}].type`, ['MOBILE', 'EMAIL', 'OTHERS'] as const);
      const value = text(identifier['value'], `ConsentDetail.Customer.Identifiers[${i}].value`);
      if (type === 'MOBILE' && value.replace(/^\+?91(?=\d{10}$)/, '') !== mobile) {
        throw new AaApiError('InvalidCustomerAddress', 'the MOBILE identifier is not the mobile number of Customer.id');
      }
    });
  }
  if (!Object.hasOwn(PURPOSE_TEXTS, purposeCode)) throw new AaApiError('InvalidConsentPurpose', 'ConsentDetail.Purpose.code is not a ReBIT purpose code (101–105)');
  if (refUri !== null && refUri !== `https://api.rebit.org.in/aa/purpose/${purposeCode}.xml`) {
    throw new AaApiError('InvalidConsentPurpose', 'ConsentDetail.Purpose.refUri is not the ReBIT URI of its code');
  }

  // The signed artefact's Customer carries only the id.
  const detail: Json = { ...d, Customer: { id: customerId } };
  return { detail, start, expiry, fetchType, consentTypes, range, frequency, purposeCode, purposeText, customerId, mobile, filters };
}
