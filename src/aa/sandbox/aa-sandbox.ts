/**
 * The development Account Aggregator and FIP: a ReBIT NBFC-AA API 2.0.0 AA that an FIU can be
 * pointed at instead of a real one (../shared/reference/aa.md §2–§5), with a consent screen,
 * generated customers (sandbox-customers.ts), real encryption of real DEPOSIT documents, signed
 * notifications, and knobs that make it misbehave the way certification tests need
 * (sandbox-controls.ts). docs/aa.md ("The sandbox AA and FIP") describes it for its users.
 *
 * It is a Fastify plugin, so Passbook can mount it inside its own app (at /aa-sandbox), and it
 * can run on its own server (`startAaSandbox`, for `passbook aa-sandbox`). Its state lives in
 * memory: a restart forgets every consent and session.
 */
import { createHash, generateKeyPair as generateKeyPairCallback, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { CompactSign } from 'jose';
import type { Clock } from '../../ports/clock.ts';
import { loadSigningKey, loadVerifyKey, signDetached, verifyDetached, type AaSigningKey, type AaVerifyKey } from '../aa-signature.ts';
import { depositJson, depositXml } from '../deposit-document.ts';
import { encryptFi, FiCryptoError, generateFiKeyPair, parseFiPublicKey, type FiCurve, type FiKeyMaterial, type RandomSource } from '../fi-crypto.ts';
import { consentPage, decidedPage, problemPage } from './sandbox-consent-page.ts';
import { SandboxControlError, SandboxControls, type SandboxEndpoint, type SandboxFaults } from './sandbox-controls.ts';
import { istDate, sandboxCustomer, sandboxDocumentInput, SandboxLedger, type SandboxAccount, type SandboxCustomer } from './sandbox-customers.ts';
import {
  AaApiError,
  API_VERSION,
  checkEnvelope,
  dateTime,
  object,
  oneOf,
  readConsentRequest,
  text,
  txnidOf,
  uuid,
  type ConsentRequest,
  type Json,
} from './sandbox-requests.ts';

export interface AaSandboxOptions {
  /** The sandbox's only clock: timestamps, the ±15 minute check, expiries, frequency windows. */
  now: Clock;
  /** The AA's entity id (Notifier.id, DataProvider.id). */
  aaId?: string;
  /** The AA's private signing key, PEM or JWK (responses, notifications, signed consents). */
  aaSigningKey: string;
  /** The kid in the AA's signatures (else the JWK's kid, else the key's thumbprint). */
  aaKid?: string;
  /** The one FIU this sandbox serves (ConsentDetail.DataConsumer.id). */
  fiuId: string;
  /** The FIU's public key, PEM or JWK, to check the x-jws-signature of its requests. */
  fiuPublicKey: string;
  fiuKid?: string;
  /** What the FIU sends as client_api_key (plain or "Bearer …"), or as Authorization: Bearer. */
  fiuApiKey: string;
  /** Base URL where the FIU serves POST /Consent/Notification and /FI/Notification; none: no notifications. */
  fiuNotificationUrl?: string | null;
  /** The aa_api_key header sent with notifications (the FIU issued it). */
  aaApiKeyForFiu: string;
  /** The sandbox's own public base URL (where its routes are reachable from a browser). */
  publicUrl?: string;
  /** Customer.id must be `<10-digit mobile>@<this>`. */
  customerSuffix?: string;
  fetch?: typeof fetch;
  random?: RandomSource;
  faults?: Partial<SandboxFaults>;
  /** How long one notification attempt may take. */
  notificationTimeoutMs?: number;
  /** How long prepared FI data waits to be fetched before it is gone (410 DataGone). */
  dataRetentionMs?: number;
}

export type ConsentStatus = 'PENDING' | 'ACTIVE' | 'REJECTED' | 'PAUSED' | 'REVOKED' | 'EXPIRED';

/** One delivery attempt of a notification to the FIU, as `GET /sandbox/notifications` lists it. */
export interface SandboxNotificationRecord {
  kind: 'Consent' | 'FI';
  txnid: string;
  /** consentStatus or sessionStatus sent */
  status: string;
  outcome: 'delivered' | 'refused' | 'failed' | 'skipped';
  httpStatus: number | null;
  detail: string | null;
}

export interface AaSandbox {
  /** Register with `app.register(sandbox.plugin, { prefix: '/aa-sandbox' })`. */
  readonly plugin: FastifyPluginAsync;
  readonly controls: SandboxControls;
  readonly aaId: string;
  /** The URL of the consent screen for a handle (needs `publicUrl`, or a standalone server). */
  consentPageUrl(handle: string, redirectUrl?: string): string;
  /** Approve as the customer would (all accounts, or those with these linkRefNumbers). */
  approve(handle: string, linkRefNumbers?: string[]): Promise<{ consentId: string }>;
  reject(handle: string): Promise<void>;
  /** Pause, resume (ACTIVE), revoke or expire an approved consent; the FIU is notified. */
  setConsentStatus(consentId: string, status: 'ACTIVE' | 'PAUSED' | 'REVOKED' | 'EXPIRED'): Promise<void>;
  /** The latest notification attempts, oldest first (at most 200). */
  notifications(): SandboxNotificationRecord[];
  /** Resolves when no FIP preparation or notification is in flight (held FIP work excepted). */
  settled(): Promise<void>;
  /** Cancels pending delays and sends nothing more. */
  close(): Promise<void>;
}

export interface SandboxKeyPair {
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
  /** JSON text of the private JWK (with kid, alg RS256, use sig). */
  privateJwk: string;
  publicJwk: string;
}

const generateKeyPair = promisify(generateKeyPairCallback);

async function rsaKeyPair(kid: string): Promise<SandboxKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const extra = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateJwk: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), ...extra }),
    publicJwk: JSON.stringify({ ...publicKey.export({ format: 'jwk' }), ...extra }),
  };
}

/** Fresh RSA-2048 signing keys for the sandbox AA and, for tests and development, an FIU. */
export async function createAaSandboxKeys(): Promise<{ aa: SandboxKeyPair; fiu: SandboxKeyPair }> {
  const suffix = randomBytes(4).toString('hex');
  const [aa, fiu] = await Promise.all([rsaKeyPair(`sandbox-aa-${suffix}`), rsaKeyPair(`sandbox-fiu-${suffix}`)]);
  return { aa, fiu };
}

// ---------------------------------------------------------------------------------------
// State

interface ConsentRecord {
  handle: string;
  request: ConsentRequest;
  customer: SandboxCustomer;
  status: ConsentStatus;
  consentId: string | null;
  signedConsent: string | null;
  /** The signed artefact's payload, kept to re-sign it for the signedConsentByOtherKey knob. */
  artefact: Json | null;
  accounts: SandboxAccount[];
  approvedAt: Date | null;
  /** FI requests accepted, in ms since the epoch. */
  uses: number[];
  /** Some data of a session of this consent was fetched (ends a ONETIME consent). */
  delivered: boolean;
}

type AccountState = 'PENDING' | 'READY' | 'DENIED' | 'DELIVERED';

interface SessionAccount {
  account: SandboxAccount;
  state: AccountState;
  encryptedFI: string | null;
}

interface SessionRecord {
  sessionId: string;
  consent: ConsentRecord;
  range: { from: Date; to: Date };
  fiuKeyMaterial: FiKeyMaterial;
  curve: FiCurve;
  state: 'PENDING' | 'COMPLETED' | 'FAILED' | 'EXPIRED';
  readyAt: Date | null;
  fips: Map<string, { keyMaterial: FiKeyMaterial | null; accounts: SessionAccount[] }>;
}

const DEFAULT_AA_ID = 'passbook-sandbox-aa';
const DEFAULT_CUSTOMER_SUFFIX = 'passbook-sandbox';
const FOREIGN_AA_ID = 'another-sandbox-aa';
const STALE_BY_MS = 20 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_NOTIFICATION_RECORDS = 200;
const MAX_REMEMBERED_TXNIDS = 10_000;
const WINDOW_MS: Record<string, number> = { HOUR: 3_600_000, DAY: 86_400_000, MONTH: 30 * 86_400_000, YEAR: 365 * 86_400_000 };

function formatUuid(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** The api key from `client_api_key: <key>`, `client_api_key: Bearer <key>` or `Authorization: Bearer <key>`. */
function presentedApiKey(request: FastifyRequest): string | null {
  const header = (name: string) => {
    const v = request.headers[name];
    return typeof v === 'string' ? v.trim() : null;
  };
  const client = header('client_api_key');
  if (client) return client.replace(/^Bearer\s+/i, '');
  const authorization = header('authorization');
  const bearer = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return bearer ? bearer[1]!.trim() : null;
}

/**
 * A sandbox AA with its own state and knobs. Nothing runs until `plugin` is registered in a
 * Fastify app; keys are loaded then.
 */
export function createAaSandbox(options: AaSandboxOptions): AaSandbox {
  return buildSandbox(options).sandbox;
}

function buildSandbox(options: AaSandboxOptions): { sandbox: AaSandbox; learnPublicUrl: (url: string) => void } {
  const now = options.now;
  const aaId = options.aaId ?? DEFAULT_AA_ID;
  const customerSuffix = options.customerSuffix ?? DEFAULT_CUSTOMER_SUFFIX;
  const random: RandomSource = options.random ?? randomBytes;
  const send = options.fetch ?? globalThis.fetch;
  const dataRetentionMs = options.dataRetentionMs ?? 24 * 3_600_000;
  const controls = new SandboxControls(options.faults);
  const ledger = new SandboxLedger();
  const expectedKey = sha256(options.fiuApiKey);
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? null;

  const consentsByHandle = new Map<string, ConsentRecord>();
  const consentsById = new Map<string, ConsentRecord>();
  const sessions = new Map<string, SessionRecord>();
  const seenTxnids = new Set<string>();
  const notificationLog: SandboxNotificationRecord[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const heldSessions: SessionRecord[] = [];
  let notificationQueue: Promise<void> = Promise.resolve();
  let closed = false;
  let log: FastifyInstance['log'] | null = null;

  const newUuid = () => formatUuid(random(16));

  // Keys load once, when the plugin is registered (or when first needed by a direct call).
  let keysPromise: Promise<{ aa: AaSigningKey; fiu: AaVerifyKey }> | null = null;
  const keys = () =>
    (keysPromise ??= Promise.all([
      loadSigningKey(options.aaSigningKey, options.aaKid === undefined ? undefined : { kid: options.aaKid }),
      loadVerifyKey(options.fiuPublicKey, options.fiuKid === undefined ? undefined : { kid: options.fiuKid }),
    ]).then(([aa, fiu]) => ({ aa, fiu })));
  // A key that is not the AA's but claims its kid, for the knobs that sign with "another key".
  let otherKeyPromise: Promise<AaSigningKey> | null = null;
  const otherKey = () =>
    (otherKeyPromise ??= keys().then(async ({ aa }) => {
      const pair = await rsaKeyPair(aa.kid);
      return loadSigningKey(pair.privateKeyPem, { kid: aa.kid });
    }));

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  function delay(ms: number): Promise<void> {
    if (ms <= 0 || closed) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(entry);
    });
  }

  // -------------------------------------------------------------------------------------
  // Notifications

  function record(entry: SandboxNotificationRecord): void {
    notificationLog.push(entry);
    if (notificationLog.length > MAX_NOTIFICATION_RECORDS) notificationLog.shift();
  }

  /** Queues a notification; notifications go out one at a time, in the order queued. */
  function notify(kind: 'Consent' | 'FI', status: string, payload: Json): void {
    const faults = controls.get();
    const url = options.fiuNotificationUrl?.replace(/\/+$/, '');
    if (!faults.sendNotifications || !url) {
      record({ kind, txnid: '', status, outcome: 'skipped', httpStatus: null, detail: url ? 'sendNotifications is false' : 'no fiuNotificationUrl' });
      return;
    }
    const deliver = async () => {
      await delay(faults.notificationDelayMs);
      if (closed) return;
      const { aa } = await keys();
      const txnid = newUuid();
      const body = {
        ver: API_VERSION,
        timestamp: now().toISOString(),
        txnid,
        Notifier: { type: 'AA', id: faults.foreignNotifier ? FOREIGN_AA_ID : aaId },
        ...payload,
      };
      const raw = Buffer.from(JSON.stringify(body), 'utf8');
      let signature = await signDetached(raw, aa);
      if (faults.badNotificationSignature) signature = corruptSignature(signature);
      const headers = {
        'content-type': 'application/json',
        'x-jws-signature': signature,
        aa_api_key: faults.wrongAaApiKey ? `not-the-issued-key-${random(4).toString('hex')}` : options.aaApiKeyForFiu,
      };
      for (let attempt = 0; attempt < (faults.duplicateNotifications ? 2 : 1); attempt++) {
        if (closed) return;
        try {
          const response = await send(`${url}/${kind}/Notification`, {
            method: 'POST',
            headers,
            body: raw,
            signal: AbortSignal.timeout(options.notificationTimeoutMs ?? 10_000),
          });
          await response.arrayBuffer();
          record({ kind, txnid, status, outcome: response.ok ? 'delivered' : 'refused', httpStatus: response.status, detail: null });
          if (!response.ok) log?.warn({ kind, status, httpStatus: response.status }, 'sandbox AA: the FIU refused a notification');
        } catch (e) {
          record({ kind, txnid, status, outcome: 'failed', httpStatus: null, detail: (e as Error).message });
          log?.warn({ kind, status, err: (e as Error).message }, 'sandbox AA: a notification could not be delivered');
        }
      }
    };
    notificationQueue = track(notificationQueue.then(deliver, deliver));
  }

  function notifyConsent(consent: ConsentRecord, status: ConsentStatus): void {
    const detail: Json = { consentHandle: consent.handle, consentStatus: status };
    if (consent.consentId) detail['consentId'] = consent.consentId;
    notify('Consent', status, { ConsentStatusNotification: detail });
  }

  function notifySession(session: SessionRecord, sessionStatus: string, accountStatus?: (a: SessionAccount) => string): void {
    const FIStatusResponse = [...session.fips].map(([fipID, fip]) => ({
      fipID,
      Accounts: fip.accounts.map((a) => {
        const FIStatus = accountStatus ? accountStatus(a) : a.state;
        return { linkRefNumber: a.account.linkRefNumber, FIStatus, description: FIStatus === 'DENIED' ? 'The FIP denied this account' : '' };
      }),
    }));
    notify('FI', sessionStatus, { FIStatusNotification: { sessionId: session.sessionId, sessionStatus, FIStatusResponse } });
  }

  // -------------------------------------------------------------------------------------
  // Consents

  /** A consent past its expiry is EXPIRED the moment anyone looks (the FIU is told then). */
  function refresh(consent: ConsentRecord): ConsentRecord {
    const expired = now().getTime() > consent.request.expiry.getTime();
    if (expired && (consent.status === 'PENDING' || consent.status === 'ACTIVE' || consent.status === 'PAUSED')) {
      consent.status = 'EXPIRED';
      notifyConsent(consent, 'EXPIRED');
    }
    return consent;
  }

  async function signCompact(payload: Json, key: AaSigningKey): Promise<string> {
    return new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8')).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
  }

  async function approve(handle: string, linkRefNumbers?: string[]): Promise<{ consentId: string }> {
    const consent = consentsByHandle.get(handle);
    if (!consent) throw new SandboxControlError('no consent request has this handle');
    refresh(consent);
    if (consent.status !== 'PENDING') throw new SandboxControlError(`the consent request is already ${consent.status}`);
    const chosen = linkRefNumbers ? consent.customer.accounts.filter((a) => linkRefNumbers.includes(a.linkRefNumber)) : consent.customer.accounts;
    if (chosen.length === 0) throw new SandboxControlError('choose at least one account to share');
    const { aa } = await keys();
    const artefact: Json = {
      ...consent.request.detail,
      DataProvider: { id: aaId, type: 'AA' },
      Accounts: chosen.map((a) => ({ fiType: 'DEPOSIT', fipId: a.fipId, accType: a.accType, linkRefNumber: a.linkRefNumber, maskedAccNumber: a.maskedAccNumber })),
    };
    const signed = await signCompact(artefact, aa);
    // Checked again after the await: a second click may have decided meanwhile.
    const current = statusOf(consent);
    if (current !== 'PENDING') throw new SandboxControlError(`the consent request is already ${current}`);
    consent.consentId = newUuid();
    consent.signedConsent = signed;
    consent.artefact = artefact;
    consent.accounts = chosen;
    consent.approvedAt = now();
    consent.status = 'ACTIVE';
    consentsById.set(consent.consentId, consent);
    notifyConsent(consent, 'ACTIVE');
    return { consentId: consent.consentId };
  }

  async function reject(handle: string): Promise<void> {
    const consent = consentsByHandle.get(handle);
    if (!consent) throw new SandboxControlError('no consent request has this handle');
    refresh(consent);
    if (consent.status !== 'PENDING') throw new SandboxControlError(`the consent request is already ${consent.status}`);
    consent.status = 'REJECTED';
    notifyConsent(consent, 'REJECTED');
  }

  async function setConsentStatus(consentId: string, status: 'ACTIVE' | 'PAUSED' | 'REVOKED' | 'EXPIRED'): Promise<void> {
    const consent = consentsById.get(consentId);
    if (!consent) throw new SandboxControlError('no consent has this id');
    refresh(consent);
    const from = consent.status;
    const allowed = status === 'ACTIVE' ? from === 'PAUSED' : status === 'PAUSED' ? from === 'ACTIVE' : from === 'ACTIVE' || from === 'PAUSED';
    if (!allowed) throw new SandboxControlError(`a ${from} consent cannot become ${status}`);
    consent.status = status;
    notifyConsent(consent, status);
  }

  // -------------------------------------------------------------------------------------
  // The FIP

  function schedulePreparation(session: SessionRecord): void {
    const faults = controls.get();
    void track(
      (async () => {
        await delay(faults.fipDelayMs);
        if (closed) return;
        if (controls.get().holdFip) heldSessions.push(session);
        else safePrepare(session);
      })(),
    );
  }

  controls.onChange((faults) => {
    if (faults.holdFip || closed) return;
    // Released on a later turn, so that set() returns before the FIP works.
    for (const session of heldSessions.splice(0)) void track(Promise.resolve().then(() => safePrepare(session)));
  });

  function documentFor(session: SessionRecord, account: SandboxAccount, format: string): string {
    const consent = session.consent;
    const input = sandboxDocumentInput(ledger, consent.customer, account, session.range, now(), {
      transactions: consent.request.consentTypes.includes('TRANSACTIONS'),
      filters: consent.request.filters,
    });
    if (format === 'json') return depositJson(input, '2.0.0');
    return depositXml(input, format === 'xml-2.0.0' ? '2.0.0' : '1.1');
  }

  function safePrepare(session: SessionRecord): void {
    try {
      prepare(session);
    } catch (e) {
      log?.error({ err: (e as Error).message }, 'sandbox FIP: preparing FI data failed');
      session.state = 'FAILED';
      notifySession(session, 'FAILED', () => 'DENIED');
    }
  }

  function prepare(session: SessionRecord): void {
    const faults = controls.get();
    const outcome = faults.sessionStatus;
    const all = [...session.fips.values()].flatMap((f) => f.accounts);
    if (outcome !== 'COMPLETED') {
      session.state = outcome;
      for (const a of all) a.state = 'DENIED';
      notifySession(session, outcome, () => (outcome === 'FAILED' ? 'DENIED' : 'TIMEOUT'));
      return;
    }
    const format = faults.depositFormatByMobile[session.consent.customer.mobile] ?? faults.depositFormat;
    const denied = faults.partialData ? all.at(-1) : undefined;
    for (const fip of session.fips.values()) {
      // One fresh key pair and nonce per FIP, on the curve the FIU chose; its labels echoed.
      const pair = generateFiKeyPair(now(), { curve: session.curve, random });
      fip.keyMaterial = { ...pair.keyMaterial, cryptoAlg: session.fiuKeyMaterial.cryptoAlg, curve: session.fiuKeyMaterial.curve };
      for (const a of fip.accounts) {
        if (a === denied) {
          a.state = 'DENIED';
          continue;
        }
        const document = documentFor(session, a.account, format);
        a.encryptedFI = encryptFi(document, pair.privateKey, pair.nonce, session.fiuKeyMaterial);
        a.state = 'READY';
      }
    }
    session.state = 'COMPLETED';
    session.readyAt = now();
    notifySession(session, 'COMPLETED');
    if (faults.outOfOrderNotifications) notifySession(session, 'ACTIVE', () => 'PENDING');
  }

  // -------------------------------------------------------------------------------------
  // The AA API handlers: each gets a body whose envelope, key and signature were checked.

  function consentByHandle(body: Json): ConsentRecord {
    const handle = text(body['ConsentHandle'], 'ConsentHandle');
    const consent = consentsByHandle.get(handle);
    if (!consent) throw new AaApiError('InvalidConsentHandle', 'no consent request has this ConsentHandle');
    return refresh(consent);
  }

  function consentById(id: unknown, field: string): ConsentRecord {
    const consent = consentsById.get(text(id, field));
    if (!consent) throw new AaApiError('InvalidConsentId', `no consent has this ${field}`);
    return refresh(consent);
  }

  const handlers: Record<string, (body: Json) => Promise<Json>> = {
    async '/Consent'(body) {
      const request = readConsentRequest(body, { fiuId: options.fiuId, customerSuffix, now: now() });
      const handle = newUuid();
      const consent: ConsentRecord = {
        handle,
        request,
        customer: sandboxCustomer(request.mobile),
        status: 'PENDING',
        consentId: null,
        signedConsent: null,
        artefact: null,
        accounts: [],
        approvedAt: null,
        uses: [],
        delivered: false,
      };
      consentsByHandle.set(handle, consent);
      // The knob's Customer.id differs from the request's in the mobile number's last digit.
      const otherMobile = request.mobile.slice(0, 9) + String((Number(request.mobile[9]) + 1) % 10);
      const customerId = controls.get().wrongCustomerId ? `${otherMobile}@${customerSuffix}` : request.customerId;
      return { Customer: { id: customerId }, ConsentHandle: handle };
    },

    async '/Consent/handle'(body) {
      const consent = consentByHandle(body);
      let ConsentStatus: Json;
      if (consent.status === 'PENDING') ConsentStatus = { status: 'PENDING' };
      else if (consent.status === 'REJECTED') ConsentStatus = { status: 'REJECTED' };
      else if (consent.status === 'EXPIRED') ConsentStatus = consent.consentId ? { id: consent.consentId, status: 'EXPIRED' } : { status: 'EXPIRED' };
      else ConsentStatus = { id: consent.consentId, status: 'APPROVED' };
      return { ConsentHandle: controls.get().wrongConsentHandle ? newUuid() : consent.handle, ConsentStatus };
    },

    async '/Consent/fetch'(body) {
      const consent = consentById(body['consentId'], 'consentId');
      const faults = controls.get();
      const signedConsent = faults.signedConsentByOtherKey ? await signCompact(consent.artefact!, await otherKey()) : consent.signedConsent!;
      const lastUse = consent.uses.at(-1);
      return {
        consentId: faults.wrongConsentId ? newUuid() : consent.consentId,
        status: consent.status,
        createTimestamp: consent.approvedAt!.toISOString(),
        signedConsent,
        ConsentUse: {
          logUri: `${publicUrl ?? 'urn:passbook-sandbox'}/consent-log/${consent.consentId}`,
          count: consent.uses.length,
          lastUseDateTime: (lastUse === undefined ? consent.approvedAt! : new Date(lastUse)).toISOString(),
        },
      };
    },

    async '/FI/request'(body) {
      const rangeIn = object(body['FIDataRange'], 'FIDataRange');
      const range = { from: dateTime(rangeIn['from'], 'FIDataRange.from'), to: dateTime(rangeIn['to'], 'FIDataRange.to') };
      const consentIn = object(body['Consent'], 'Consent');
      const digitalSignature = text(consentIn['digitalSignature'], 'Consent.digitalSignature');
      const km = object(body['KeyMaterial'], 'KeyMaterial');
      const dh = object(km['DHPublicKey'], 'KeyMaterial.DHPublicKey');
      const keyMaterial: FiKeyMaterial = {
        cryptoAlg: text(km['cryptoAlg'], 'KeyMaterial.cryptoAlg'),
        curve: typeof km['curve'] === 'string' ? km['curve'] : '',
        params: typeof km['params'] === 'string' ? km['params'] : '',
        DHPublicKey: { expiry: text(dh['expiry'], 'KeyMaterial.DHPublicKey.expiry'), Parameters: typeof dh['Parameters'] === 'string' ? dh['Parameters'] : '', KeyValue: text(dh['KeyValue'], 'KeyMaterial.DHPublicKey.KeyValue') },
        Nonce: text(km['Nonce'], 'KeyMaterial.Nonce'),
      };

      const consent = consentById(consentIn['id'], 'Consent.id');
      if (consent.status !== 'ACTIVE') throw new AaApiError('InvalidConsentStatus', `the consent is ${consent.status}`);
      if (digitalSignature !== consent.signedConsent!.split('.')[2]) {
        throw new AaApiError('InvalidConsentDetail', 'Consent.digitalSignature is not the signature of the signed consent');
      }
      const at = now().getTime();
      if (at < consent.request.start.getTime()) throw new AaApiError('InvalidConsentUse', 'the consent has not started yet (consentStart)');
      const allowed = consent.request.range;
      if (range.from.getTime() > range.to.getTime()) throw new AaApiError('InvalidDateRange', 'FIDataRange.from is after FIDataRange.to');
      if (range.from.getTime() < allowed.from.getTime() || range.to.getTime() > allowed.to.getTime()) {
        throw new AaApiError('InvalidDateRange', "FIDataRange is not inside the consent's FIDataRange");
      }
      if (consent.request.fetchType === 'ONETIME') {
        if (consent.delivered) throw new AaApiError('InvalidConsentUse', 'this ONETIME consent has already been used to fetch data');
      } else {
        const { unit, value } = consent.request.frequency;
        const window = WINDOW_MS[unit];
        const used = consent.uses.filter((u) => window === undefined || u > at - window).length;
        if (used >= value) throw new AaApiError('InvalidConsentUse', `the consent allows ${value} FI request(s) per ${unit}`);
      }
      let curve: FiCurve;
      try {
        if (!/^(ECDH|X25519)$/i.test(keyMaterial.cryptoAlg)) throw new FiCryptoError('INVALID_KEY_MATERIAL', 'cryptoAlg is not ECDH');
        if (keyMaterial.curve !== '' && !/^(Curve25519|X25519)$/i.test(keyMaterial.curve)) throw new FiCryptoError('INVALID_KEY_MATERIAL', 'curve is neither Curve25519 nor X25519');
        curve = parseFiPublicKey(keyMaterial.DHPublicKey.KeyValue).curve;
        const nonce = Buffer.from(keyMaterial.Nonce, 'base64');
        if (nonce.length !== 32) throw new FiCryptoError('INVALID_NONCE', 'Nonce is not base64 of 32 bytes');
      } catch (e) {
        if (e instanceof FiCryptoError) throw new AaApiError('InvalidKey', `KeyMaterial: ${e.message}`);
        throw e;
      }
      let expiry: Date;
      try {
        expiry = dateTime(keyMaterial.DHPublicKey.expiry, 'KeyMaterial.DHPublicKey.expiry');
      } catch {
        throw new AaApiError('InvalidKey', 'KeyMaterial.DHPublicKey.expiry is not a date-time');
      }
      if (expiry.getTime() <= at) throw new AaApiError('InvalidKey', 'KeyMaterial.DHPublicKey has expired');

      const session: SessionRecord = {
        sessionId: newUuid(),
        consent,
        range,
        fiuKeyMaterial: keyMaterial,
        curve,
        state: 'PENDING',
        readyAt: null,
        fips: new Map(),
      };
      for (const account of consent.accounts) {
        const fip = session.fips.get(account.fipId) ?? { keyMaterial: null, accounts: [] };
        fip.accounts.push({ account, state: 'PENDING', encryptedFI: null });
        session.fips.set(account.fipId, fip);
      }
      sessions.set(session.sessionId, session);
      consent.uses.push(at);
      schedulePreparation(session);
      return { consentId: consent.consentId, sessionId: session.sessionId };
    },

    async '/FI/fetch'(body) {
      const session = sessions.get(text(body['sessionId'], 'sessionId'));
      if (!session) throw new AaApiError('InvalidSessionId', 'no FI session has this sessionId');
      const fipId = body['fipId'] === undefined || body['fipId'] === '' ? null : text(body['fipId'], 'fipId');
      let linkRefs: string[] | null = null;
      if (body['linkRefNumber'] !== undefined) {
        if (!Array.isArray(body['linkRefNumber']) || body['linkRefNumber'].length === 0) throw new AaApiError('InvalidRequest', 'linkRefNumber must be a non-empty list');
        linkRefs = body['linkRefNumber'].map((item: unknown, i) => text(object(item, `linkRefNumber[${i}]`)['id'], `linkRefNumber[${i}].id`));
      }
      const consent = refresh(session.consent);
      if (consent.status === 'REVOKED') throw new AaApiError('ConsentRevoked', 'the consent was revoked');
      if (consent.status === 'PAUSED') throw new AaApiError('ConsentPaused', 'the consent is paused');
      if (consent.status === 'EXPIRED') throw new AaApiError('ConsentExpired', 'the consent has expired');
      if (fipId !== null && !session.fips.has(fipId)) throw new AaApiError('InvalidFIPId', 'the session has no data from this fipId');
      const inScope = [...session.fips].filter(([id]) => fipId === null || id === fipId);
      if (linkRefs !== null) {
        const known = new Set(inScope.flatMap(([, fip]) => fip.accounts.map((a) => a.account.linkRefNumber)));
        if (linkRefs.some((l) => !known.has(l))) throw new AaApiError('InvalidRequest', 'a linkRefNumber is not an account of this session');
      }
      if (controls.get().dataGone) throw new AaApiError('DataGone', 'the data of this session is no longer available');
      if (session.state === 'PENDING') throw new AaApiError('DataFetchRequestInProgress', 'the FIP is still preparing the data; try again later');
      if (session.state === 'FAILED') throw new AaApiError('NoDataFound', 'the FIP could not provide data for this session');
      if (session.state === 'EXPIRED') throw new AaApiError('DataGone', 'the session expired before the data was fetched');
      if (now().getTime() - session.readyAt!.getTime() > dataRetentionMs) throw new AaApiError('DataGone', 'the data of this session is no longer available');

      const FI: Json[] = [];
      let delivered = 0;
      for (const [fipID, fip] of inScope) {
        const wanted = fip.accounts.filter((a) => linkRefs === null || linkRefs.includes(a.account.linkRefNumber));
        if (wanted.some((a) => a.state === 'DELIVERED')) delivered++;
        const ready = wanted.filter((a) => a.state === 'READY');
        if (ready.length === 0) continue;
        FI.push({
          fipID,
          data: ready.map((a) => ({ linkRefNumber: a.account.linkRefNumber, maskedAccNumber: a.account.maskedAccNumber, encryptedFI: a.encryptedFI })),
          KeyMaterial: fip.keyMaterial,
        });
      }
      if (FI.length === 0) {
        if (delivered > 0) throw new AaApiError('DataGone', 'the data was already delivered');
        throw new AaApiError('NoDataFound', 'no account of this session has data');
      }
      // Data is handed over once: a second fetch of the same accounts is DataGone.
      for (const [, fip] of inScope) {
        for (const a of fip.accounts) {
          if (a.state === 'READY' && (linkRefs === null || linkRefs.includes(a.account.linkRefNumber))) {
            a.state = 'DELIVERED';
            a.encryptedFI = null;
          }
        }
      }
      consent.delivered = true;
      return { FI };
    },

    async '/Consent/Notification'(body) {
      checkFiuNotifier(body);
      const n = object(body['ConsentStatusNotification'], 'ConsentStatusNotification');
      const status = oneOf(n['consentStatus'], 'ConsentStatusNotification.consentStatus', ['ACTIVE', 'PENDING', 'REVOKED', 'PAUSED', 'REJECTED', 'EXPIRED'] as const);
      const consent = n['consentId'] === undefined ? null : consentsById.get(text(n['consentId'], 'ConsentStatusNotification.consentId'));
      if (n['consentId'] !== undefined && !consent) throw new AaApiError('InvalidRequest', 'no consent has this consentId');
      // An FIU may tell the AA it revoked a consent on its side.
      if (consent && status === 'REVOKED' && (consent.status === 'ACTIVE' || consent.status === 'PAUSED')) consent.status = 'REVOKED';
      return { response: 'OK' };
    },

    async '/FI/Notification'(body) {
      checkFiuNotifier(body);
      const n = object(body['FIStatusNotification'], 'FIStatusNotification');
      const sessionId = text(n['sessionId'], 'FIStatusNotification.sessionId');
      if (!sessions.has(sessionId)) throw new AaApiError('InvalidFIStatusNotification', 'no FI session has this sessionId');
      return { response: 'OK' };
    },
  };

  function checkFiuNotifier(body: Json): void {
    const notifier = object(body['Notifier'], 'Notifier');
    if (notifier['type'] !== 'FIU' || notifier['id'] !== options.fiuId) throw new AaApiError('InvalidNotifier', 'Notifier is not the FIU this sandbox serves');
  }

  // -------------------------------------------------------------------------------------
  // HTTP

  function corruptSignature(signature: string): string {
    // Changing a character in the middle alters real signature bits (the last one may not).
    const i = signature.length - 40;
    return signature.slice(0, i) + (signature[i] === 'A' ? 'B' : 'A') + signature.slice(i + 1);
  }

  /** `endpoint` null: a path that is no endpoint (only knobs for every endpoint apply). */
  async function sendAa(reply: FastifyReply, endpoint: SandboxEndpoint | null, status: number, txnid: string | null, content: Json): Promise<FastifyReply> {
    const faults = controls.get();
    const faulty = faults.faultEndpoints.length === 0 || (endpoint !== null && faults.faultEndpoints.includes(endpoint));
    const at = now();
    const envelope: Json = {
      ver: faulty && faults.wrongResponseVer ? '1.1.2' : API_VERSION,
      timestamp: new Date(at.getTime() - (faulty && faults.staleResponseTimestamp ? STALE_BY_MS : 0)).toISOString(),
    };
    // HeartbeatResponse has no txnid; every other body (errors included) has one.
    if (endpoint !== '/Heartbeat' || status !== 200) envelope['txnid'] = faulty && faults.wrongResponseTxnid ? newUuid() : (txnid ?? newUuid());
    const raw = Buffer.from(JSON.stringify({ ...envelope, ...content }), 'utf8');
    const key = faulty && faults.responseSignedByOtherKey ? await otherKey() : (await keys()).aa;
    let signature = await signDetached(raw, key);
    if (faulty && faults.badResponseSignature) signature = corruptSignature(signature);
    return reply.code(status).header('content-type', 'application/json').header('x-jws-signature', signature).header('cache-control', 'no-store').send(raw);
  }

  function sendError(reply: FastifyReply, endpoint: SandboxEndpoint | null, txnid: string | null, error: AaApiError): Promise<FastifyReply> {
    return sendAa(reply, endpoint, error.status, txnid, { errorCode: error.code, errorMsg: error.message });
  }

  function apiKeyOk(request: FastifyRequest): boolean {
    const presented = presentedApiKey(request);
    return presented !== null && timingSafeEqual(sha256(presented), expectedKey);
  }

  function rememberTxnid(key: string): void {
    seenTxnids.add(key);
    if (seenTxnids.size > MAX_REMEMBERED_TXNIDS) seenTxnids.delete(seenTxnids.values().next().value!);
  }

  async function handleAa(endpoint: SandboxEndpoint, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let parsed: unknown = undefined;
    try {
      parsed = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      // reported below, after the api key
    }
    let txnid = txnidOf(parsed);
    try {
      if (!apiKeyOk(request)) throw new AaApiError('Unauthorized', 'client_api_key is missing or not valid');
      if (parsed === undefined) throw new AaApiError('InvalidRequest', 'the body is not JSON');
      try {
        await verifyDetached(request.headers['x-jws-signature'] as string | undefined, raw, (await keys()).fiu);
      } catch {
        throw new AaApiError('SignatureDoesNotMatch', 'x-jws-signature is missing or does not match the body');
      }
      const body = object(parsed, 'the body');
      ({ txnid } = checkEnvelope(body, now()));
      const replayKey = `${endpoint} ${txnid}`;
      if (seenTxnids.has(replayKey)) throw new AaApiError('IdempotencyError', 'this txnid was already used for this API');
      const content = await handlers[endpoint]!(body);
      rememberTxnid(replayKey);
      return await sendAa(reply, endpoint, 200, txnid, content);
    } catch (e) {
      if (e instanceof AaApiError) return sendError(reply, endpoint, txnid, e);
      log?.error({ endpoint, err: (e as Error).message }, 'sandbox AA: unexpected error');
      return sendError(reply, endpoint, txnid, new AaApiError('InternalError', 'the sandbox AA failed'));
    }
  }

  function htmlReply(reply: FastifyReply, status: number, html: string): FastifyReply {
    return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  }

  /** An http(s) URL to send the customer back to, or null when none was given; throws if it is not one. */
  function redirectTarget(request: FastifyRequest): string | null {
    const value = (request.query as Record<string, unknown> | undefined)?.['redirect_url'];
    if (value === undefined || value === '') return null;
    if (typeof value !== 'string') throw new SandboxControlError('redirect_url must be given once');
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SandboxControlError('redirect_url is not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SandboxControlError('redirect_url must be an http or https URL');
    return url.toString();
  }

  function withOutcome(target: string, status: string, handle: string): string {
    const url = new URL(target);
    url.searchParams.set('status', status);
    url.searchParams.set('handle', handle);
    return url.toString();
  }

  const plugin: FastifyPluginAsync = async (app) => {
    log = app.log;
    await keys();
    // Signatures cover the exact body bytes, so bodies stay Buffers here (this context only).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));
    app.addHook('onClose', async () => {
      await close();
    });

    for (const endpoint of ['/Consent', '/Consent/handle', '/Consent/fetch', '/FI/request', '/FI/fetch', '/Consent/Notification', '/FI/Notification'] as const) {
      app.post(`/V2${endpoint}`, (request, reply) => handleAa(endpoint, request, reply));
    }
    app.get('/V2/Heartbeat', async (request, reply) => {
      if (!apiKeyOk(request)) return sendError(reply, '/Heartbeat', null, new AaApiError('Unauthorized', 'client_api_key is missing or not valid'));
      return sendAa(reply, '/Heartbeat', 200, null, { Status: 'UP' });
    });

    app.get('/consent/:handle', async (request, reply) => {
      const { handle } = request.params as { handle: string };
      const consent = consentsByHandle.get(handle);
      if (!consent) return htmlReply(reply, 404, problemPage(404, 'There is no consent request at this address.'));
      let redirect: string | null;
      try {
        redirect = redirectTarget(request);
      } catch (e) {
        return htmlReply(reply, 400, problemPage(400, (e as Error).message));
      }
      refresh(consent);
      if (consent.status !== 'PENDING') return htmlReply(reply, 200, decidedPage(consent.status, redirect && withOutcome(redirect, handleOutcome(consent), handle)));
      const r = consent.request;
      const html = consentPage({
        fiuId: options.fiuId,
        aaId,
        purposeCode: r.purposeCode,
        purposeText: r.purposeText,
        dataFrom: istDate(r.range.from),
        dataTo: istDate(r.range.to),
        consentExpiry: istDate(r.expiry),
        fetchType: r.fetchType,
        frequency: r.frequency,
        consentTypes: r.consentTypes,
        maskedMobile: `XXXXXX${r.mobile.slice(-4)}`,
        accounts: consent.customer.accounts,
        handle,
        query: redirect ? `?redirect_url=${encodeURIComponent(redirect)}` : '',
      });
      return htmlReply(reply, 200, html);
    });

    for (const decision of ['approve', 'reject'] as const) {
      app.post(`/consent/:handle/${decision}`, async (request, reply) => {
        const { handle } = request.params as { handle: string };
        if (!consentsByHandle.has(handle)) return htmlReply(reply, 404, problemPage(404, 'There is no consent request at this address.'));
        let redirect: string | null;
        try {
          redirect = redirectTarget(request);
          if (decision === 'approve') {
            const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
            await approve(handle, form.getAll('account'));
          } else {
            await reject(handle);
          }
        } catch (e) {
          if (e instanceof SandboxControlError) return htmlReply(reply, 400, problemPage(400, e.message));
          throw e;
        }
        const status = decision === 'approve' ? 'APPROVED' : 'REJECTED';
        if (redirect) return reply.code(303).header('location', withOutcome(redirect, status, handle)).header('cache-control', 'no-store').send();
        return htmlReply(reply, 200, decidedPage(status, null));
      });
    }

    // Controls for manual testing; the FIU's api key guards them like the AA API.
    const controlRoute = (handler: (request: FastifyRequest) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
      if (!apiKeyOk(request)) return reply.code(401).send({ error: 'client_api_key is missing or not valid' });
      try {
        return reply.code(200).header('cache-control', 'no-store').send(await handler(request));
      } catch (e) {
        if (e instanceof SandboxControlError) return reply.code(400).send({ error: e.message });
        throw e;
      }
    };
    const jsonBody = (request: FastifyRequest): unknown => {
      const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      try {
        return raw === '' ? {} : JSON.parse(raw);
      } catch {
        throw new SandboxControlError('the body is not JSON');
      }
    };
    app.get('/sandbox/controls', controlRoute(async () => controls.get()));
    app.post('/sandbox/controls', controlRoute(async (request) => controls.set(jsonBody(request) as Partial<SandboxFaults>)));
    app.delete('/sandbox/controls', controlRoute(async () => controls.reset()));
    app.get('/sandbox/notifications', controlRoute(async () => notificationLog));
    app.post('/sandbox/consents/:consentId/:action', controlRoute(async (request) => {
      const { consentId, action } = request.params as { consentId: string; action: string };
      const status = ({ pause: 'PAUSED', resume: 'ACTIVE', revoke: 'REVOKED', expire: 'EXPIRED' } as const)[action as 'pause'];
      if (status === undefined) throw new SandboxControlError('the action must be pause, resume, revoke or expire');
      uuid(consentId, 'consentId');
      await setConsentStatus(consentId, status);
      return { consentId, status };
    }));

    app.setNotFoundHandler(async (request, reply) => {
      if (/\/V2\//.test(request.url)) {
        const error = new AaApiError('InvalidURI', 'no such API in ReBIT NBFC-AA API 2.0.0 (or not with this method)');
        return sendError(reply, null, txnidOf(safeJson(request.body)), error);
      }
      return htmlReply(reply, 404, problemPage(404, 'Nothing here.'));
    });
    app.setErrorHandler(async (error: { statusCode?: number; message: string }, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (/\/V2\//.test(request.url)) {
        const aaError = status < 500 ? new AaApiError('InvalidRequest', 'the request cannot be read (too large, or malformed)') : new AaApiError('InternalError', 'the sandbox AA failed');
        return sendError(reply, null, null, aaError);
      }
      if (status >= 500) log?.error({ err: error.message }, 'sandbox AA: unexpected error');
      return htmlReply(reply, status, problemPage(status, status < 500 ? 'The request cannot be read.' : 'The sandbox failed.'));
    });
  };

  function handleOutcome(consent: ConsentRecord): string {
    if (consent.status === 'REJECTED') return 'REJECTED';
    if (consent.status === 'EXPIRED' && !consent.consentId) return 'EXPIRED';
    return 'APPROVED';
  }

  async function settled(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  async function close(): Promise<void> {
    closed = true;
    heldSessions.length = 0;
    for (const entry of timers) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    timers.clear();
    await settled();
  }

  const sandbox: AaSandbox = {
    plugin,
    controls,
    aaId,
    consentPageUrl(handle, redirectUrl) {
      if (publicUrl === null) throw new Error('consentPageUrl needs the publicUrl option');
      const query = redirectUrl ? `?redirect_url=${encodeURIComponent(redirectUrl)}` : '';
      return `${publicUrl}/consent/${encodeURIComponent(handle)}${query}`;
    },
    approve,
    reject,
    setConsentStatus,
    notifications: () => [...notificationLog],
    settled,
    close,
  };
  // startAaSandbox learns its own URL only once it listens; an explicit publicUrl wins.
  return { sandbox, learnPublicUrl: (url) => void (publicUrl ??= url) };
}

/** Read through a call, so that a status checked before an await is read afresh after it. */
function statusOf(consent: { status: ConsentStatus }): ConsentStatus {
  return consent.status;
}

function safeJson(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The sandbox as a Fastify plugin (its controls over HTTP only; use createAaSandbox for the object). */
export function aaSandboxPlugin(options: AaSandboxOptions): FastifyPluginAsync {
  return createAaSandbox(options).plugin;
}

export interface StartAaSandboxOptions extends AaSandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fastify's logger (JSON lines); off by default. Request bodies and api keys are never logged. */
  logger?: boolean;
}

/** The sandbox on its own Fastify server; the AA API is at `${url}/V2`. */
export async function startAaSandbox(options: StartAaSandboxOptions): Promise<{ url: string; sandbox: AaSandbox; close(): Promise<void> }> {
  const { sandbox, learnPublicUrl } = buildSandbox(options);
  const app = Fastify({ logger: options.logger ?? false });
  await app.register(sandbox.plugin);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the sandbox server has no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  learnPublicUrl(url);
  return { url, sandbox, close: () => app.close() };
}
