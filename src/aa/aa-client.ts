/**
 * The FIU's client of an Account Aggregator (ReBIT NBFC-AA API 2.0.0, the AA-hosted endpoints
 * of ../shared/reference/aa.md §3). docs/aa.md, "The FIU's client and notification checks".
 *
 * Every call is a POST of JSON with `ver`, `timestamp` and a fresh v4 `txnid`; the body is
 * serialised once and that string is both signed (`x-jws-signature`, aa-signature.ts) and sent.
 * The one exception is GET /Heartbeat, which has no body.
 *
 * Every answer is checked before anything in it is used. A 2xx answer that fails a check is
 * discarded: the call throws `AaResponseRejected` with a reason and returns nothing of it. The
 * checks, in order (the Sahamati certification scenario each one answers in brackets):
 *
 *   signature   SIGNATURE_MISSING / SIGNATURE_INVALID: no x-jws-signature, or it does not
 *               verify with the AA's key over the exact bytes [1023, 1030, 1041, 2021, 2026].
 *               Checked first, so no unauthenticated bytes are parsed.
 *   syntax      NOT_JSON: the body is not a UTF-8 JSON object.
 *   version     VERSION: `ver` is not 2.0.0 [1019, 1024, 1031, 2017, 2022] (a missing `ver`
 *               is SCHEMA).
 *   timestamp   TIMESTAMP: invalid, or more than 15 minutes from now [1020, 1025, 2018, 2023];
 *               /Consent/fetch's schema has no timestamp, so there it is checked only when
 *               present [1032].
 *   txnid       TXNID_MISMATCH: not the one sent [1021, 2019] (a missing one is SCHEMA).
 *   schema      SCHEMA: required fields, types, enums [1011, 1012, 2016].
 *   identity    CUSTOMER_MISMATCH [1022], CONSENT_HANDLE_MISMATCH [1026],
 *               CONSENT_ID_MISMATCH [1033, 2020]: not the one asked about.
 *   artefact    CREATE_TIMESTAMP [1037], CONSENT_USE_INVALID [1039],
 *               SIGNED_CONSENT_INVALID [1038], SIGNED_CONSENT_SIGNATURE (signed with another
 *               key) [1040].
 *   FI data     FI_INVALID [2024], KEY_MATERIAL_INVALID [2025].
 *
 * A non-2xx answer throws `AaErrorResponse`. When it carries a signature, the signature must
 * verify (else AaResponseRejected SIGNATURE_INVALID). When it carries none, it is still
 * reported, with `verified: false`: gateways and load balancers in front of an AA answer 502/503
 * unsigned, and an error's only effect is that the call failed, which anyone on the path could
 * cause anyway by dropping the connection. Nothing from an error body is ever stored as data.
 *
 * A timeout, a network failure or an oversized answer throws `AaTransportError`. No error
 * message carries the API key, a signature or FI data.
 */
import { randomUUID } from 'node:crypto';
import { signDetached, verifyDetached, AaSignatureError, type AaSigningKey, type AaVerifyKey } from './aa-signature.ts';
import {
  AA_API_VERSION,
  AaSchemaError,
  CONSENT_ARTEFACT_STATUSES,
  CONSENT_REQUEST_STATUSES,
  HEARTBEAT_STATUSES,
  MAX_CLOCK_SKEW_MS,
  arrayAt,
  asObject,
  checkTimestamp,
  dateTimeAt,
  enumAt,
  fiDataRange,
  fieldOf,
  fieldPath,
  isJsonObject,
  isUuidV4,
  numberAt,
  objectAt,
  optionalObjectAt,
  optionalStringAt,
  parseDateTime,
  parseJsonObject,
  readConsentDetail,
  readKeyMaterial,
  readSignedConsentDetail,
  sameUuid,
  stringAt,
  type AaClock,
  type ConsentArtefactStatus,
  type ConsentDetail,
  type ConsentRequestStatus,
  type ConsentUse,
  type HeartbeatStatus,
  type JsonObject,
  type SignedConsentDetail,
} from './aa-messages.ts';
import type { FiKeyMaterial } from './fi-crypto.ts';
import type { CalendarDate } from '../lib/calendar-date.ts';

export type AaEndpoint = '/Consent' | '/Consent/handle' | '/Consent/fetch' | '/FI/request' | '/FI/fetch' | '/Heartbeat';

export type AaRejectReason =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'NOT_JSON'
  | 'VERSION'
  | 'TIMESTAMP'
  | 'TXNID_MISMATCH'
  | 'SCHEMA'
  | 'CUSTOMER_MISMATCH'
  | 'CONSENT_HANDLE_MISMATCH'
  | 'CONSENT_ID_MISMATCH'
  | 'CREATE_TIMESTAMP'
  | 'CONSENT_USE_INVALID'
  | 'SIGNED_CONSENT_INVALID'
  | 'SIGNED_CONSENT_SIGNATURE'
  | 'FI_INVALID'
  | 'KEY_MATERIAL_INVALID';

/** A 2xx answer that failed a check; it was discarded. */
export class AaResponseRejected extends Error {
  readonly reason: AaRejectReason;
  readonly endpoint: AaEndpoint;
  /** the field in schema terms, when one field is at fault */
  readonly field: string | null;
  constructor(reason: AaRejectReason, endpoint: AaEndpoint, message: string, field: string | null = null) {
    super(`AA response to ${endpoint} discarded (${reason}): ${message}`);
    this.name = 'AaResponseRejected';
    this.reason = reason;
    this.endpoint = endpoint;
    this.field = field;
  }
}

/** A non-2xx answer of the AA. */
export class AaErrorResponse extends Error {
  readonly status: number;
  readonly errorCode: string | null;
  readonly errorMsg: string | null;
  /** true when the body carried a signature that verified; false when it carried none */
  readonly verified: boolean;
  readonly endpoint: AaEndpoint;
  constructor(endpoint: AaEndpoint, status: number, errorCode: string | null, errorMsg: string | null, verified: boolean) {
    super(`AA answered ${endpoint} with ${status}${errorCode === null ? '' : ` ${errorCode}`}${errorMsg === null ? '' : `: ${errorMsg}`}`);
    this.name = 'AaErrorResponse';
    this.status = status;
    this.errorCode = errorCode;
    this.errorMsg = errorMsg;
    this.verified = verified;
    this.endpoint = endpoint;
  }
}

export type AaTransportErrorCode = 'TIMEOUT' | 'NETWORK' | 'RESPONSE_TOO_LARGE';

/** No answer was read: the AA did not answer in time, the connection failed, or the answer was too large. */
export class AaTransportError extends Error {
  readonly code: AaTransportErrorCode;
  readonly endpoint: AaEndpoint;
  constructor(code: AaTransportErrorCode, endpoint: AaEndpoint, message: string, options?: { cause?: unknown }) {
    super(`AA ${endpoint}: ${message}`, options);
    this.name = 'AaTransportError';
    this.code = code;
    this.endpoint = endpoint;
  }
}

export interface AaClientOptions {
  /** the AA's v2 base URL (ends in /V2 by convention); the endpoint paths are appended */
  baseUrl: string;
  /** the AA's entity id (Central Registry), for messages */
  aaId: string;
  /** the token the AA (or Sahamati's IAM) issued to the FIU; sent as `client_api_key` */
  apiKey: string;
  /** Passbook's FIU id; a consent artefact must name it as its DataConsumer */
  fiuId: string;
  signingKey: AaSigningKey;
  aaPublicKey: AaVerifyKey;
  now: AaClock;
  fetch?: typeof globalThis.fetch;
  /** for the whole exchange, answer body included; default 30 s */
  timeoutMs?: number;
  /** default 128 MiB: a fetch may carry several accounts of up to 50 MB each, base64-encoded */
  maxResponseBytes?: number;
  /** the `txnid` source; must give v4 UUIDs. Default `crypto.randomUUID` */
  uuid?: () => string;
}

export interface CreatedConsent {
  txnid: string;
  consentHandle: string;
  customerId: string;
}

export interface ConsentRequestState {
  status: ConsentRequestStatus;
  consentId: string | null;
}

export interface FetchedConsent {
  consentId: string;
  status: ConsentArtefactStatus;
  createTimestamp: string;
  detail: SignedConsentDetail;
  /** the compact JWS as received, to keep with the consent */
  signedConsent: string;
  /** its third segment: what /FI/request sends back as `Consent.digitalSignature` */
  digitalSignature: string;
  consentUse: ConsentUse;
}

export interface FiRequestInput {
  consentId: string;
  digitalSignature: string;
  from: CalendarDate;
  to: CalendarDate;
  keyMaterial: FiKeyMaterial;
}

export interface FetchedFiAccount {
  linkRefNumber: string;
  maskedAccNumber: string;
  encryptedFI: string;
}

export interface FetchedFi {
  fipId: string;
  keyMaterial: FiKeyMaterial;
  accounts: FetchedFiAccount[];
}

export type FiFetchResult = { state: 'pending' } | { state: 'ready'; fi: FetchedFi[] };

export interface HeartbeatResult {
  status: HeartbeatStatus;
  error: { code: number | null; msg: string | null; detail: string | null } | null;
}

interface RawAnswer {
  status: number;
  signature: string | null;
  raw: Uint8Array;
}

type TimestampRule = 'required' | 'if-present';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 128 * 1024 * 1024;
/** An AA's error text is reported, not trusted: bounded so a hostile answer cannot flood logs. */
const MAX_ERROR_TEXT = 500;

export class AaClient {
  readonly aaId: string;
  readonly fiuId: string;
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #signingKey: AaSigningKey;
  readonly #aaPublicKey: AaVerifyKey;
  readonly #now: AaClock;
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #uuid: () => string;

  constructor(options: AaClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError('AaClient: baseUrl is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('AaClient: baseUrl must be http(s)');
    if (options.apiKey.trim() === '') throw new TypeError('AaClient: apiKey is empty');
    if (options.fiuId.trim() === '') throw new TypeError('AaClient: fiuId is empty');
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.aaId = options.aaId;
    this.fiuId = options.fiuId;
    this.#apiKey = options.apiKey;
    this.#signingKey = options.signingKey;
    this.#aaPublicKey = options.aaPublicKey;
    this.#now = options.now;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#uuid = options.uuid ?? randomUUID;
  }

  /** POST /Consent: raise a consent request. The answer must echo the customer asked about. */
  async createConsent(detail: ConsentDetail): Promise<CreatedConsent> {
    // Strict in what is sent (scenario 1001): a hand-made detail goes through the same reader.
    readConsentDetail(detail);
    const endpoint = '/Consent';
    const { body, txnid } = await this.#post(endpoint, { ConsentDetail: detail }, 'required');
    const { consentHandle, customerId } = this.#read(endpoint, () => ({
      consentHandle: stringAt(body, 'ConsentHandle', ''),
      customerId: stringAt(objectAt(body, 'Customer', ''), 'id', 'Customer'),
    }));
    if (customerId !== detail.Customer.id) throw new AaResponseRejected('CUSTOMER_MISMATCH', endpoint, 'Customer.id is not the customer asked about', 'Customer.id');
    return { txnid, consentHandle, customerId };
  }

  /** POST /Consent/handle: where a consent request stands, and its consent id once approved. */
  async consentStatus(consentHandle: string): Promise<ConsentRequestState> {
    requireId(consentHandle, 'consentHandle');
    const endpoint = '/Consent/handle';
    const { body } = await this.#post(endpoint, { ConsentHandle: consentHandle }, 'required');
    const answer = this.#read(endpoint, () => {
      const handle = stringAt(body, 'ConsentHandle', '');
      const cs = objectAt(body, 'ConsentStatus', '');
      const status = enumAt(cs, 'status', CONSENT_REQUEST_STATUSES, 'ConsentStatus');
      const consentId = optionalStringAt(cs, 'id', 'ConsentStatus');
      // An approved consent without its id cannot be fetched: the answer is incomplete.
      if ((status === 'APPROVED' || status === 'READY') && consentId === null) throw new AaSchemaError('ConsentStatus.id', `is missing for a ${status} consent`);
      return { handle, status, consentId };
    });
    if (answer.handle !== consentHandle) {
      throw new AaResponseRejected('CONSENT_HANDLE_MISMATCH', endpoint, 'ConsentHandle is not the one asked about', 'ConsentHandle');
    }
    return { status: answer.status, consentId: answer.consentId };
  }

  /**
   * POST /Consent/fetch: the consent artefact. `signedConsent` must verify with the AA's key
   * (aa.md §2: as an ordinary RFC 7515 JWS first, then as RFC 7797 over the decoded payload),
   * name this FIU as its DataConsumer and, when `expect.customerId` is given, that customer.
   */
  async fetchConsent(consentId: string, expect: { customerId?: string } = {}): Promise<FetchedConsent> {
    requireId(consentId, 'consentId');
    const endpoint = '/Consent/fetch';
    const { body } = await this.#post(endpoint, { consentId }, 'if-present');
    const id = this.#read(endpoint, () => stringAt(body, 'consentId', ''));
    if (id !== consentId) throw new AaResponseRejected('CONSENT_ID_MISMATCH', endpoint, 'consentId is not the one asked about', 'consentId');
    const status = this.#read(endpoint, () => enumAt(body, 'status', CONSENT_ARTEFACT_STATUSES, ''));
    const createTimestamp = this.#read(
      endpoint,
      () => {
        const value = dateTimeAt(body, 'createTimestamp', '');
        if ((parseDateTime(value) as Date).getTime() > this.#now().getTime() + MAX_CLOCK_SKEW_MS) throw new AaSchemaError('createTimestamp', 'is in the future');
        return value;
      },
      'CREATE_TIMESTAMP',
    );
    const consentUse = this.#read(
      endpoint,
      () => {
        const use = objectAt(body, 'ConsentUse', '');
        return {
          logUri: stringAt(use, 'logUri', 'ConsentUse'),
          count: numberAt(use, 'count', 'ConsentUse', { integer: true, min: 0 }),
          lastUseDateTime: dateTimeAt(use, 'lastUseDateTime', 'ConsentUse'),
        };
      },
      'CONSENT_USE_INVALID',
    );
    const signedConsent = this.#read(endpoint, () => stringAt(body, 'signedConsent', ''), 'SIGNED_CONSENT_INVALID');
    const { detail, digitalSignature } = await this.#openSignedConsent(signedConsent);
    if (detail.DataConsumer.id !== this.fiuId) {
      throw new AaResponseRejected('SIGNED_CONSENT_INVALID', endpoint, 'the consent names another DataConsumer', 'signedConsent.DataConsumer.id');
    }
    if (expect.customerId !== undefined && detail.Customer.id !== expect.customerId) {
      throw new AaResponseRejected('CUSTOMER_MISMATCH', endpoint, 'the consent is for another customer', 'signedConsent.Customer.id');
    }
    return { consentId: id, status, createTimestamp, detail, signedConsent, digitalSignature, consentUse };
  }

  /** POST /FI/request: ask for the data of an active consent; the FIU's key material goes along. */
  async requestFi(input: FiRequestInput): Promise<{ sessionId: string }> {
    requireId(input.consentId, 'consentId');
    requireId(input.digitalSignature, 'digitalSignature');
    const endpoint = '/FI/request';
    const payload = {
      FIDataRange: fiDataRange(input.from, input.to),
      Consent: { id: input.consentId, digitalSignature: input.digitalSignature },
      KeyMaterial: input.keyMaterial,
    };
    const { body } = await this.#post(endpoint, payload, 'required');
    const answer = this.#read(endpoint, () => ({ consentId: stringAt(body, 'consentId', ''), sessionId: stringAt(body, 'sessionId', '') }));
    if (answer.consentId !== input.consentId) throw new AaResponseRejected('CONSENT_ID_MISMATCH', endpoint, 'consentId is not the one asked about', 'consentId');
    return { sessionId: answer.sessionId };
  }

  /**
   * POST /FI/fetch: the encrypted data of a session, one entry per FIP with its key material.
   * 403 DataFetchRequestInProgress means the FIPs have not delivered yet: `{state:'pending'}`.
   * When a FIP or accounts are named, an answer about others is discarded (FI_INVALID).
   */
  async fetchFi(sessionId: string, options: { fipId?: string; linkRefNumbers?: readonly string[] } = {}): Promise<FiFetchResult> {
    requireId(sessionId, 'sessionId');
    const endpoint = '/FI/fetch';
    const payload: JsonObject = { sessionId };
    if (options.fipId !== undefined) payload['fipId'] = requireId(options.fipId, 'fipId');
    if (options.linkRefNumbers !== undefined) {
      if (options.linkRefNumbers.length === 0) throw new TypeError('AaClient: linkRefNumbers is empty');
      payload['linkRefNumber'] = options.linkRefNumbers.map((id) => ({ id: requireId(id, 'linkRefNumber') }));
    }
    let body: JsonObject;
    try {
      ({ body } = await this.#post(endpoint, payload, 'required'));
    } catch (e) {
      // A forged "in progress" could only make us ask again later, so an unsigned one counts too.
      if (e instanceof AaErrorResponse && e.status === 403 && e.errorCode === 'DataFetchRequestInProgress') return { state: 'pending' };
      throw e;
    }
    const now = this.#now();
    const fi = this.#read(
      endpoint,
      () =>
        arrayAt(body, 'FI', '', 1).map((item, i): FetchedFi => {
          const at = fieldPath('FI', i);
          const entry = asObject(item, at);
          // The schema spells it fipID; a lower-case fipId is taken too (liberal in).
          const fipId = fieldOf(entry, 'fipID') !== undefined ? stringAt(entry, 'fipID', at) : stringAt(entry, 'fipId', at);
          if (options.fipId !== undefined && fipId !== options.fipId) throw new AaSchemaError(fieldPath(at, 'fipID'), 'is not the FIP asked about');
          const accounts = arrayAt(entry, 'data', at, 1).map((d, j): FetchedFiAccount => {
            const dAt = fieldPath(fieldPath(at, 'data'), j);
            const account = asObject(d, dAt);
            const linkRefNumber = stringAt(account, 'linkRefNumber', dAt);
            if (options.linkRefNumbers !== undefined && !options.linkRefNumbers.includes(linkRefNumber)) {
              throw new AaSchemaError(fieldPath(dAt, 'linkRefNumber'), 'is not an account asked about');
            }
            const encryptedFI = stringAt(account, 'encryptedFI', dAt);
            if (!/^[A-Za-z0-9+/_=\s-]+$/.test(encryptedFI)) throw new AaSchemaError(fieldPath(dAt, 'encryptedFI'), 'is not base64');
            return { linkRefNumber, maskedAccNumber: stringAt(account, 'maskedAccNumber', dAt), encryptedFI };
          });
          return { fipId, keyMaterial: readKeyMaterial(fieldOf(entry, 'KeyMaterial'), fieldPath(at, 'KeyMaterial'), now), accounts };
        }),
      (field) => (/^FI\[\d+\]\.KeyMaterial/.test(field) ? 'KEY_MATERIAL_INVALID' : 'FI_INVALID'),
    );
    return { state: 'ready', fi };
  }

  /** GET /Heartbeat: whether the AA says it is up. The request has no body, so it is not signed. */
  async heartbeat(): Promise<HeartbeatResult> {
    const endpoint = '/Heartbeat';
    const answer = await this.#send(endpoint, 'GET', null, null);
    const body = await this.#accept(endpoint, answer);
    this.#checkVersion(endpoint, body);
    this.#checkTimestamp(endpoint, body, 'required');
    return this.#read(endpoint, () => {
      const status = enumAt(body, 'Status', HEARTBEAT_STATUSES, '');
      const error = optionalObjectAt(body, 'Error', '');
      if (error === null) return { status, error: null };
      const code = fieldOf(error, 'code') === undefined || fieldOf(error, 'code') === null ? null : numberAt(error, 'code', 'Error', { integer: true });
      return { status, error: { code, msg: optionalStringAt(error, 'msg', 'Error'), detail: optionalStringAt(error, 'detail', 'Error') } };
    });
  }

  // -------------------------------------------------------------------------------------

  /** Sends one signed request and returns its checked envelope (signature, syntax, ver, timestamp, txnid). */
  async #post(endpoint: AaEndpoint, payload: JsonObject, timestamp: TimestampRule): Promise<{ body: JsonObject; txnid: string }> {
    const txnid = this.#uuid();
    if (!isUuidV4(txnid)) throw new TypeError('AaClient: the uuid source did not give a v4 UUID');
    const text = JSON.stringify({ ver: AA_API_VERSION, timestamp: this.#now().toISOString(), txnid, ...payload });
    const signature = await signDetached(text, this.#signingKey);
    const answer = await this.#send(endpoint, 'POST', text, signature);
    const body = await this.#accept(endpoint, answer);
    this.#checkVersion(endpoint, body);
    this.#checkTimestamp(endpoint, body, timestamp);
    const echoed = this.#read(endpoint, () => stringAt(body, 'txnid', ''));
    if (!sameUuid(echoed, txnid)) throw new AaResponseRejected('TXNID_MISMATCH', endpoint, 'txnid is not the one sent', 'txnid');
    return { body, txnid };
  }

  /** Non-2xx → AaErrorResponse; 2xx → the signature is checked, then the body parsed. */
  async #accept(endpoint: AaEndpoint, answer: RawAnswer): Promise<JsonObject> {
    if (answer.status < 200 || answer.status > 299) {
      const verified = answer.signature !== null && answer.signature.trim() !== '';
      if (verified) await this.#verify(endpoint, answer);
      const body = parseJsonObject(answer.raw);
      const text = (key: string) => {
        const v = body === null ? undefined : fieldOf(body, key);
        return typeof v === 'string' && v.trim() !== '' ? v.slice(0, MAX_ERROR_TEXT) : null;
      };
      throw new AaErrorResponse(endpoint, answer.status, text('errorCode'), text('errorMsg'), verified);
    }
    await this.#verify(endpoint, answer);
    const body = parseJsonObject(answer.raw);
    if (body === null) throw new AaResponseRejected('NOT_JSON', endpoint, 'the body is not a JSON object');
    return body;
  }

  async #verify(endpoint: AaEndpoint, answer: RawAnswer): Promise<void> {
    try {
      await verifyDetached(answer.signature ?? undefined, answer.raw, this.#aaPublicKey);
    } catch (e) {
      if (!(e instanceof AaSignatureError)) throw e;
      if (e.code === 'SIGNATURE_MISSING') throw new AaResponseRejected('SIGNATURE_MISSING', endpoint, 'no x-jws-signature');
      throw new AaResponseRejected('SIGNATURE_INVALID', endpoint, `x-jws-signature does not verify with the AA's key (${e.code})`);
    }
  }

  #checkVersion(endpoint: AaEndpoint, body: JsonObject): void {
    const ver = fieldOf(body, 'ver');
    if (ver === undefined || ver === null || (typeof ver === 'string' && ver.trim() === '')) {
      throw new AaResponseRejected('SCHEMA', endpoint, 'ver is missing', 'ver');
    }
    if (ver !== AA_API_VERSION) throw new AaResponseRejected('VERSION', endpoint, `ver is not ${AA_API_VERSION}`, 'ver');
  }

  #checkTimestamp(endpoint: AaEndpoint, body: JsonObject, rule: TimestampRule): void {
    const value = fieldOf(body, 'timestamp');
    if (rule === 'if-present' && (value === undefined || value === null)) return;
    if (rule === 'required') this.#read(endpoint, () => stringAt(body, 'timestamp', ''));
    const verdict = checkTimestamp(value, this.#now());
    if (verdict === 'invalid') throw new AaResponseRejected('TIMESTAMP', endpoint, 'timestamp is not an ISO 8601 date-time', 'timestamp');
    if (verdict === 'skewed') throw new AaResponseRejected('TIMESTAMP', endpoint, 'timestamp is more than 15 minutes from now', 'timestamp');
  }

  /** Runs a reader; its AaSchemaError becomes a discard with the reason for that field. */
  #read<T>(endpoint: AaEndpoint, read: () => T, reason: AaRejectReason | ((field: string) => AaRejectReason) = 'SCHEMA'): T {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof AaSchemaError)) throw e;
      const r = typeof reason === 'function' ? reason(e.field) : reason;
      throw new AaResponseRejected(r, endpoint, e.message, e.field === '' ? null : e.field);
    }
  }

  /**
   * `signedConsent`, a compact JWS with the SignedConsentDetail as its payload. ReBIT's own
   * example labels its header `b64:false` yet base64url-encodes the payload, so the signature is
   * tried over `header.payload` (RFC 7515) and, for such a header, over `header.` + the decoded
   * payload (RFC 7797). Both go through verifyDetached, which checks alg and kid against the
   * AA's key; a signature that matches neither was made with another key.
   */
  async #openSignedConsent(jws: string): Promise<{ detail: SignedConsentDetail; digitalSignature: string }> {
    const endpoint = '/Consent/fetch';
    const invalid = (message: string, field = 'signedConsent') => new AaResponseRejected('SIGNED_CONSENT_INVALID', endpoint, message, field);
    const parts = jws.trim().split('.');
    const [header, payload, signature] = parts as [string, string, string];
    const b64url = /^[A-Za-z0-9_-]+$/;
    if (parts.length !== 3 || !b64url.test(header) || !b64url.test(payload) || !b64url.test(signature)) {
      throw invalid('is not a compact JWS with a payload');
    }
    const protectedHeader = parseJsonObject(Buffer.from(header, 'base64url'));
    if (protectedHeader === null || typeof fieldOf(protectedHeader, 'alg') !== 'string') throw invalid('its header is not a JSON object with an alg');
    const unencodedHeader = fieldOf(protectedHeader, 'b64') === false;
    const decoded = Buffer.from(payload, 'base64url');
    const attempts: Array<string | Uint8Array> = unencodedHeader ? [payload, decoded] : [decoded];
    let verified = false;
    for (const signedBytes of attempts) {
      try {
        await verifyDetached(`${header}..${signature}`, signedBytes, this.#aaPublicKey);
        verified = true;
        break;
      } catch (e) {
        if (!(e instanceof AaSignatureError)) throw e;
        if (e.code === 'UNSUPPORTED_ALGORITHM') throw invalid(`its header names an algorithm the AA's key does not allow`);
      }
    }
    if (!verified) throw new AaResponseRejected('SIGNED_CONSENT_SIGNATURE', endpoint, "signedConsent does not verify with the AA's key", 'signedConsent');
    const detailJson = parseJsonObject(decoded);
    if (detailJson === null) throw invalid('its payload is not a JSON object');
    const detail = this.#read(endpoint, () => readSignedConsentDetail(detailJson), 'SIGNED_CONSENT_INVALID');
    return { detail, digitalSignature: signature };
  }

  async #send(endpoint: AaEndpoint, method: 'GET' | 'POST', body: string | null, signature: string | null): Promise<RawAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', client_api_key: this.#apiKey };
    if (body !== null) headers['content-type'] = 'application/json';
    if (signature !== null) headers['x-jws-signature'] = signature;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    const failed = (cause: unknown, what: string) =>
      controller.signal.aborted
        ? new AaTransportError('TIMEOUT', endpoint, `no answer within ${this.#timeoutMs} ms`)
        : new AaTransportError('NETWORK', endpoint, `${what} failed${networkCode(cause)}`, { cause });
    try {
      let response: Response;
      try {
        // Redirects are not followed: they would carry client_api_key to wherever they point.
        response = await this.#fetch(`${this.#baseUrl}${endpoint}`, { method, headers, body, signal: controller.signal, redirect: 'manual' });
      } catch (cause) {
        throw failed(cause, 'the request');
      }
      let raw: Uint8Array;
      try {
        raw = await readBounded(response, this.#maxResponseBytes);
      } catch (cause) {
        if (cause instanceof ResponseTooLarge) {
          throw new AaTransportError('RESPONSE_TOO_LARGE', endpoint, `the answer is larger than ${this.#maxResponseBytes} bytes`);
        }
        throw failed(cause, 'reading the answer');
      }
      return { status: response.status, signature: response.headers.get('x-jws-signature'), raw };
    } finally {
      clearTimeout(timer);
    }
  }
}

function requireId(value: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`AaClient: ${name} is empty`);
  return value;
}

/** Only the system error code (ECONNREFUSED…) of a failure: its message may quote addresses. */
function networkCode(cause: unknown): string {
  const inner = isJsonObject(cause) && isJsonObject((cause as { cause?: unknown }).cause) ? (cause as { cause: JsonObject }).cause : cause;
  const code = isJsonObject(inner) ? fieldOf(inner, 'code') : undefined;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? ` (${code})` : '';
}

class ResponseTooLarge extends Error {}

async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
