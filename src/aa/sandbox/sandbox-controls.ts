/**
 * The sandbox's misbehaviour knobs: each makes the AA or the FIP do one thing wrong that a
 * real one might, so an FIU can be tested against the certification scenarios that expect it
 * to notice (../shared/reference/aa.md §7). Set at start (`faults`), from code
 * (`sandbox.controls.set`) or over HTTP (`POST /sandbox/controls`); docs/aa.md lists them.
 */

export type SandboxDepositFormat = 'xml-1.1' | 'xml-2.0.0' | 'json';
export const SANDBOX_DEPOSIT_FORMATS: readonly SandboxDepositFormat[] = ['xml-1.1', 'xml-2.0.0', 'json'];

export type SandboxSessionOutcome = 'COMPLETED' | 'FAILED' | 'EXPIRED';
const SESSION_OUTCOMES: readonly SandboxSessionOutcome[] = ['COMPLETED', 'FAILED', 'EXPIRED'];

/** The AA API endpoints, as the knobs name them. */
export const SANDBOX_ENDPOINTS = ['/Consent', '/Consent/handle', '/Consent/fetch', '/FI/request', '/FI/fetch', '/Heartbeat', '/Consent/Notification', '/FI/Notification'] as const;
export type SandboxEndpoint = (typeof SANDBOX_ENDPOINTS)[number];

export interface SandboxFaults {
  // Responses of the AA API (limited to `faultEndpoints` when that is not empty).
  /** The response's x-jws-signature does not match its body. */
  badResponseSignature: boolean;
  /** Responses are signed with a key that is not the AA's. */
  responseSignedByOtherKey: boolean;
  /** Responses carry a txnid other than the request's. */
  wrongResponseTxnid: boolean;
  /** Responses say `ver: "1.1.2"`. */
  wrongResponseVer: boolean;
  /** Response timestamps are 20 minutes in the past. */
  staleResponseTimestamp: boolean;
  /** The endpoints the five faults above apply to (`["/Consent/handle"]`); empty: all of them. */
  faultEndpoints: SandboxEndpoint[];
  /** POST /Consent answers with another customer's Customer.id. */
  wrongCustomerId: boolean;
  /** /Consent/handle answers with another ConsentHandle. */
  wrongConsentHandle: boolean;
  /** /Consent/fetch answers with another consentId. */
  wrongConsentId: boolean;
  /** /Consent/fetch returns a signedConsent signed with a key that is not the AA's. */
  signedConsentByOtherKey: boolean;

  // Notifications to the FIU.
  /** false: no notifications at all (the FIU must poll). */
  sendNotifications: boolean;
  /** Wait this long before each notification. */
  notificationDelayMs: number;
  /** Send every notification twice (same body, same txnid). */
  duplicateNotifications: boolean;
  /** After an FI notification COMPLETED, send one saying ACTIVE. */
  outOfOrderNotifications: boolean;
  /** The notification's x-jws-signature does not match its body. */
  badNotificationSignature: boolean;
  /** The aa_api_key header is not the one the FIU issued. */
  wrongAaApiKey: boolean;
  /** Notifier.id names another AA. */
  foreignNotifier: boolean;

  // The FIP.
  /** The last account of each session is DENIED and left out of /FI/fetch. */
  partialData: boolean;
  /** The FIP takes this long to prepare data (FI/fetch answers DataFetchRequestInProgress meanwhile). */
  fipDelayMs: number;
  /** The FIP prepares nothing until this is set back to false. */
  holdFip: boolean;
  /** How sessions end: COMPLETED (data ready), FAILED (no data: 404 NoDataFound) or EXPIRED (410 DataGone). */
  sessionStatus: SandboxSessionOutcome;
  /** /FI/fetch answers 410 DataGone even before the data was delivered. */
  dataGone: boolean;
  /** The DEPOSIT documents' form. */
  depositFormat: SandboxDepositFormat;
  /** The form for particular customers (by mobile number), over `depositFormat`. */
  depositFormatByMobile: Record<string, SandboxDepositFormat>;
}

export const DEFAULT_FAULTS: Readonly<SandboxFaults> = Object.freeze({
  badResponseSignature: false,
  responseSignedByOtherKey: false,
  wrongResponseTxnid: false,
  wrongResponseVer: false,
  staleResponseTimestamp: false,
  faultEndpoints: [],
  wrongCustomerId: false,
  wrongConsentHandle: false,
  wrongConsentId: false,
  signedConsentByOtherKey: false,
  sendNotifications: true,
  notificationDelayMs: 0,
  duplicateNotifications: false,
  outOfOrderNotifications: false,
  badNotificationSignature: false,
  wrongAaApiKey: false,
  foreignNotifier: false,
  partialData: false,
  fipDelayMs: 0,
  holdFip: false,
  sessionStatus: 'COMPLETED',
  dataGone: false,
  depositFormat: 'xml-1.1',
  depositFormatByMobile: {},
});

export class SandboxControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxControlError';
  }
}

const MAX_DELAY_MS = 10 * 60 * 1000;

/**
 * Checks a partial set of knobs (from code or from an HTTP body). A knob set to null goes back
 * to its default. Unknown knobs and wrong types are refused with a message that names them.
 */
export function checkFaults(input: unknown): Partial<SandboxFaults> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SandboxControlError('controls must be a JSON object of knobs');
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!Object.hasOwn(DEFAULT_FAULTS, name)) {
      throw new SandboxControlError(`unknown knob ${JSON.stringify(name)}; the knobs are ${Object.keys(DEFAULT_FAULTS).join(', ')}`);
    }
    const fallback = DEFAULT_FAULTS[name as keyof SandboxFaults];
    if (value === null) {
      out[name] = fallback;
      continue;
    }
    if (typeof fallback === 'boolean') {
      if (typeof value !== 'boolean') throw new SandboxControlError(`${name} must be true or false`);
    } else if (typeof fallback === 'number') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
        throw new SandboxControlError(`${name} must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`);
      }
    } else if (name === 'sessionStatus') {
      if (!SESSION_OUTCOMES.includes(value as SandboxSessionOutcome)) throw new SandboxControlError(`sessionStatus must be one of ${SESSION_OUTCOMES.join(', ')}`);
    } else if (name === 'depositFormat') {
      if (!SANDBOX_DEPOSIT_FORMATS.includes(value as SandboxDepositFormat)) throw new SandboxControlError(`depositFormat must be one of ${SANDBOX_DEPOSIT_FORMATS.join(', ')}`);
    } else if (name === 'faultEndpoints') {
      if (!Array.isArray(value) || value.some((e) => !(SANDBOX_ENDPOINTS as readonly unknown[]).includes(e))) {
        throw new SandboxControlError(`faultEndpoints must be a list of ${SANDBOX_ENDPOINTS.join(', ')}`);
      }
      out[name] = [...(value as SandboxEndpoint[])];
      continue;
    } else if (name === 'depositFormatByMobile') {
      if (typeof value !== 'object' || Array.isArray(value)) throw new SandboxControlError('depositFormatByMobile must be an object of mobile number → format');
      const entries = Object.entries(value as Record<string, unknown>);
      for (const [mobile, format] of entries) {
        if (!/^\d{10}$/.test(mobile) || !SANDBOX_DEPOSIT_FORMATS.includes(format as SandboxDepositFormat)) {
          throw new SandboxControlError(`depositFormatByMobile maps 10-digit mobile numbers to one of ${SANDBOX_DEPOSIT_FORMATS.join(', ')}`);
        }
      }
      out[name] = Object.fromEntries(entries);
      continue;
    }
    out[name] = value;
  }
  return out;
}

/** The knobs of one sandbox, changeable while it runs. */
export class SandboxControls {
  private current: SandboxFaults;
  private readonly listeners: ((faults: SandboxFaults) => void)[] = [];

  constructor(initial: Partial<SandboxFaults> = {}) {
    this.current = { ...DEFAULT_FAULTS, faultEndpoints: [], depositFormatByMobile: {}, ...checkFaults(initial) };
  }

  /** A copy of the knobs as they are now. */
  get(): SandboxFaults {
    return { ...this.current, faultEndpoints: [...this.current.faultEndpoints], depositFormatByMobile: { ...this.current.depositFormatByMobile } };
  }

  /** Changes the knobs given (null: back to the default); the others stay as they are. */
  set(changes: Partial<{ [K in keyof SandboxFaults]: SandboxFaults[K] | null }>): SandboxFaults {
    this.current = { ...this.current, ...checkFaults(changes) };
    for (const listener of this.listeners) listener(this.get());
    return this.get();
  }

  /** Every knob back to its default. */
  reset(): SandboxFaults {
    this.current = { ...DEFAULT_FAULTS, faultEndpoints: [], depositFormatByMobile: {} };
    for (const listener of this.listeners) listener(this.get());
    return this.get();
  }

  /** Called after every change (the sandbox releases held FIP work when `holdFip` goes false). */
  onChange(listener: (faults: SandboxFaults) => void): void {
    this.listeners.push(listener);
  }
}
