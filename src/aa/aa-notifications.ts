/**
 * Checks of the notifications an AA sends the FIU (POST /Consent/Notification and POST
 * /FI/Notification, ../shared/reference/aa.md §4, FIU_2_0_0.yaml), and the bodies the FIU answers
 * with. Pure: the routes pass the raw body and headers in, the caller does the lookups that need
 * the store. docs/aa.md, "The FIU's client and notification checks".
 *
 * Order (the first failure wins; Sahamati certification scenarios in brackets):
 *
 *   1. authentication  `aa_api_key` missing or unknown → 401 Unauthorized [1042, 2028]; the key
 *                      of another known AA → 400 InvalidRequest [1043, 2029]. First, so nothing
 *                      of an unauthenticated caller's body is read.
 *   2. syntax          not a UTF-8 JSON object → 400 InvalidRequest.
 *   3. version         `ver` present and not 2.0.0 → 404 NoSuchVersion [1013, 2003]. Before the
 *                      schema because another version has another schema.
 *   4. schema          missing or empty required field, wrong type or enum, a txnid that is not
 *                      UUID-shaped, a timestamp that is not a date-time or is more than 15 minutes
 *                      from now → 400 InvalidRequest [1009, 1010, 1014, 2006, 2007, 2008].
 *   5. signature       `x-jws-signature` missing or not verifying with the AA's key over the exact
 *                      bytes → 400 SignatureDoesNotMatch [1036, 2027].
 *   6. notifier        Notifier.type is not AA or Notifier.id is not the AA's id: for consent
 *                      notifications 400 InvalidNotifier [1005, 1006]; for FI notifications 400
 *                      InvalidRequest [2005, 2009 case 1, 2012], since FIU_2_0_0.yaml's FI
 *                      notification error enum has no InvalidNotifier.
 *   7. business        the caller's: unknown consent id → InvalidConsentId [1007], unknown or
 *                      foreign consent handle → InvalidRequest [1008, 1015], unknown or foreign
 *                      session → InvalidSessionId [2004, 2009 case 2], accounts not in the
 *                      session → InvalidRequest [2009 case 3].
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { signDetached, verifyDetached, type AaSigningKey, type AaVerifyKey } from './aa-signature.ts';
import {
  AA_API_VERSION,
  AaSchemaError,
  CONSENT_NOTIFICATION_STATUSES,
  FI_ACCOUNT_STATUSES,
  FI_SESSION_STATUSES,
  arrayAt,
  asObject,
  checkTimestamp,
  enumAt,
  fieldOf,
  fieldPath,
  objectAt,
  optionalStringAt,
  parseJsonObject,
  stringAt,
  uuidAt,
  type AaClock,
  type AaErrorBody,
  type AaErrorCode,
  type AaOkBody,
  type ConsentNotificationStatus,
  type FiAccountStatus,
  type FiSessionStatus,
  type JsonObject,
} from './aa-messages.ts';

export interface NotificationContext {
  /** the AA's entity id, which Notifier.id must carry */
  aaId: string;
  /** the `aa_api_key` this AA must send */
  expectedApiKey: string;
  /** keys issued to other AAs: such a key is a known caller at the wrong door (400, not 401) */
  otherAaKeys?: readonly string[];
  aaPublicKey: AaVerifyKey;
  now: AaClock;
}

/** Node's and Fastify's request headers: lower-case names; a repeated header is an array. */
export type NotificationHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export type NotificationRefusalCode = 'Unauthorized' | 'InvalidRequest' | 'NoSuchVersion' | 'InvalidNotifier' | 'SignatureDoesNotMatch';

export interface NotificationRefusal {
  ok: false;
  status: 400 | 401 | 404;
  errorCode: NotificationRefusalCode;
  errorMsg: string;
  /** the request's txnid when it had a string one, to echo; null otherwise */
  txnid: string | null;
}

export interface ConsentNotification {
  txnid: string;
  timestamp: string;
  consentHandle: string | null;
  consentId: string | null;
  consentStatus: ConsentNotificationStatus;
}

export interface FiNotificationAccount {
  linkRefNumber: string;
  fiStatus: FiAccountStatus;
  description: string;
}

export interface FiNotification {
  txnid: string;
  timestamp: string;
  sessionId: string;
  sessionStatus: FiSessionStatus;
  fips: { fipId: string; accounts: FiNotificationAccount[] }[];
}

export type NotificationCheck<T> = { ok: true; notification: T } | NotificationRefusal;

/** POST /Consent/Notification. */
export function checkConsentNotification(
  raw: Uint8Array | string,
  headers: NotificationHeaders,
  ctx: NotificationContext,
): Promise<NotificationCheck<ConsentNotification>> {
  return checkNotification(raw, headers, ctx, 'InvalidNotifier', (body) => {
    const at = 'ConsentStatusNotification';
    const csn = objectAt(body, at, '');
    // Finvu's 1.x sandbox wrote `ConsentStatus`; the key is taken in either case (aa.md §4.1).
    const statusKey = fieldOf(csn, 'consentStatus') === undefined && fieldOf(csn, 'ConsentStatus') !== undefined ? 'ConsentStatus' : 'consentStatus';
    const consentStatus = enumAt(csn, statusKey, CONSENT_NOTIFICATION_STATUSES, at);
    const consentId = optionalStringAt(csn, 'consentId', at);
    const consentHandle = optionalStringAt(csn, 'consentHandle', at);
    if (consentId === null && consentHandle === null) throw new AaSchemaError(at, 'names neither a consentId nor a consentHandle');
    // These states belong to an artefact; without its id the FIU cannot tell which one.
    if (consentId === null && (consentStatus === 'ACTIVE' || consentStatus === 'PAUSED' || consentStatus === 'REVOKED')) {
      throw new AaSchemaError(fieldPath(at, 'consentId'), `is missing for a ${consentStatus} consent`);
    }
    return { consentHandle, consentId, consentStatus };
  });
}

/** POST /FI/Notification. */
export function checkFiNotification(
  raw: Uint8Array | string,
  headers: NotificationHeaders,
  ctx: NotificationContext,
): Promise<NotificationCheck<FiNotification>> {
  return checkNotification(raw, headers, ctx, 'InvalidRequest', (body) => {
    const at = 'FIStatusNotification';
    const fsn = objectAt(body, at, '');
    const sessionId = stringAt(fsn, 'sessionId', at);
    const sessionStatus = enumAt(fsn, 'sessionStatus', FI_SESSION_STATUSES, at);
    const fips = arrayAt(fsn, 'FIStatusResponse', at).map((item, i) => {
      const fipAt = fieldPath(fieldPath(at, 'FIStatusResponse'), i);
      const fip = asObject(item, fipAt);
      const accounts = arrayAt(fip, 'Accounts', fipAt).map((a, j): FiNotificationAccount => {
        const accAt = fieldPath(fieldPath(fipAt, 'Accounts'), j);
        const account = asObject(a, accAt);
        // `description` is required but its own example is '', so '' (or its absence) is kept as ''.
        const description = fieldOf(account, 'description');
        if (description !== undefined && description !== null && typeof description !== 'string') {
          throw new AaSchemaError(fieldPath(accAt, 'description'), 'is not a string');
        }
        return {
          linkRefNumber: stringAt(account, 'linkRefNumber', accAt),
          fiStatus: enumAt(account, 'FIStatus', FI_ACCOUNT_STATUSES, accAt),
          description: typeof description === 'string' ? description : '',
        };
      });
      return { fipId: stringAt(fip, 'fipID', fipAt), accounts };
    });
    return { sessionId, sessionStatus, fips };
  });
}

type Refuse = (status: 400 | 401 | 404, errorCode: NotificationRefusalCode, errorMsg: string) => NotificationRefusal;

async function checkNotification<T extends object>(
  raw: Uint8Array | string,
  headers: NotificationHeaders,
  ctx: NotificationContext,
  notifierRefusal: 'InvalidNotifier' | 'InvalidRequest',
  readBody: (body: JsonObject) => T,
): Promise<NotificationCheck<T & { txnid: string; timestamp: string }>> {
  let txnid: string | null = null;
  const refuse: Refuse = (status, errorCode, errorMsg) => ({ ok: false, status, errorCode, errorMsg, txnid });

  // 1. authentication
  const apiKey = apiKeyOf(headers);
  if (apiKey === null || !keyEquals(apiKey, ctx.expectedApiKey)) {
    if (apiKey !== null && (ctx.otherAaKeys ?? []).some((other) => keyEquals(apiKey, other))) {
      return refuse(400, 'InvalidRequest', 'the aa_api_key is not the one issued to this AA');
    }
    return refuse(401, 'Unauthorized', 'aa_api_key is missing or not valid');
  }

  // 2. syntax
  const body = parseJsonObject(raw);
  if (body === null) return refuse(400, 'InvalidRequest', 'the body is not a JSON object');
  const echo = fieldOf(body, 'txnid');
  if (typeof echo === 'string' && echo !== '') txnid = echo;

  // 3. version
  // A missing or empty ver is a schema fault (the guidelines' "empty = missing"); any other value
  // but 2.0.0, a number included, names a version this endpoint does not speak.
  const ver = fieldOf(body, 'ver');
  const verGiven = ver !== undefined && ver !== null && !(typeof ver === 'string' && ver.trim() === '');
  if (verGiven && ver !== AA_API_VERSION) return refuse(404, 'NoSuchVersion', `ver must be ${AA_API_VERSION}`);

  // 4. schema
  let read: T & { txnid: string; timestamp: string; notifier: { type: string; id: string } };
  try {
    stringAt(body, 'ver', '');
    const requestTxnid = uuidAt(body, 'txnid', '');
    const timestamp = stringAt(body, 'timestamp', '');
    const verdict = checkTimestamp(timestamp, ctx.now());
    if (verdict === 'invalid') throw new AaSchemaError('timestamp', 'is not an ISO 8601 date-time');
    if (verdict === 'skewed') throw new AaSchemaError('timestamp', 'is more than 15 minutes from now');
    const n = objectAt(body, 'Notifier', '');
    const notifier = { type: stringAt(n, 'type', 'Notifier'), id: stringAt(n, 'id', 'Notifier') };
    read = { ...readBody(body), txnid: requestTxnid, timestamp, notifier };
  } catch (e) {
    if (!(e instanceof AaSchemaError)) throw e;
    return refuse(400, 'InvalidRequest', e.message);
  }

  // 5. signature
  try {
    await verifyDetached(headerOf(headers, 'x-jws-signature') ?? undefined, raw, ctx.aaPublicKey);
  } catch {
    return refuse(400, 'SignatureDoesNotMatch', "x-jws-signature is missing or does not verify with the AA's key");
  }

  // 6. notifier
  if (read.notifier.type !== 'AA') return refuse(400, notifierRefusal, 'Notifier.type must be AA');
  if (read.notifier.id !== ctx.aaId) return refuse(400, notifierRefusal, 'Notifier.id is not the AA this key belongs to');

  const { notifier: _notifier, ...notification } = read;
  return { ok: true, notification: notification as T & { txnid: string; timestamp: string } };
}

/** The value of one header; a repeated one is refused (null) rather than guessed at. */
function headerOf(headers: NotificationHeaders, name: string): string | null {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const v = headers[key];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
    return null;
  }
  return null;
}

/** `aa_api_key`, with a leading "Bearer " dropped (Sahamati's samples write it both ways). */
function apiKeyOf(headers: NotificationHeaders): string | null {
  const v = headerOf(headers, 'aa_api_key')?.trim().replace(/^Bearer\s+/i, '');
  return v === undefined || v === '' ? null : v;
}

/** Compares digests so neither the time taken nor a length check tells how much of a key matched. */
function keyEquals(given: string, expected: string): boolean {
  if (expected === '') return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

// ---------------------------------------------------------------------------------------
// Answers

/** A notification's 200 body. */
export function aaOkBody(input: { txnid: string; now: Date }): AaOkBody {
  return { ver: AA_API_VERSION, timestamp: input.now.toISOString(), txnid: input.txnid, response: 'OK' };
}

/**
 * An error body in the ReBIT shape. `txnid` echoes the request's; when the request had none
 * that could be read, a fresh one is made, since the schema requires it.
 */
export function aaErrorBody(input: { txnid: string | null; errorCode: AaErrorCode; errorMsg: string; now: Date }): AaErrorBody {
  return {
    ver: AA_API_VERSION,
    timestamp: input.now.toISOString(),
    txnid: input.txnid ?? randomUUID(),
    errorCode: input.errorCode,
    errorMsg: input.errorMsg,
  };
}

/**
 * The bytes to send and their `x-jws-signature`. Send `text` exactly as returned: any
 * re-serialisation (a framework's own JSON encoder included) breaks the signature.
 */
export async function signResponse(body: object, key: AaSigningKey): Promise<{ text: string; signature: string }> {
  const text = JSON.stringify(body);
  return { text, signature: await signDetached(text, key) };
}
