/**
 * Creates a session (BankConnect Session API V1 and V2): applies the documented rules, defaults
 * and clamps to already shape-checked input, stores the session, and answers with its journey
 * URL. Rules run in the order of the documented error table, so the first broken rule is
 * reported. The two versions differ only in their AA parameters (`aaSettings` for v1,
 * `aaSettingsV2` for v2's journey codes and consents) and in v2's signed journey link.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AppError, MESSAGES } from '../errors/codes.ts';
import { redirectHostAllowed, type Client, type Mode } from '../domain/client.ts';
import {
  AA_JOURNEY_CODES,
  type AaConsentTemplate,
  type AaConsentWindow,
  type AaFrequencyUnit,
  type AaJourneyCode,
  type AaJourneyMode,
  type AaSettings,
  type JourneyMode,
  type Session,
  type SessionApiVersion,
  type SessionMetadata,
} from '../domain/session.ts';
import { addDays, addMonths, monthsBetween, parseDayMonthYear, parts, today, type CalendarDate } from '../lib/calendar-date.ts';
import { idempotencyRepository } from '../store/repositories/idempotency-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import type { Deps } from './deps.ts';
import { journeyToken, journeyUrl } from './journey-token.ts';

export { journeyUrl };

/** The parameters both versions take. */
export interface SharedSessionInput {
  link_id: string;
  redirect_url?: URL;
  from_date?: string;
  to_date?: string;
  max_from_date?: string;
  max_to_date?: string;
  logo_url?: URL;
  bank_name?: string;
  mode?: Mode;
  mobile_number?: string;
  session_expiry?: string;
  journey_mode?: JourneyMode;
  accept_anything: boolean;
  is_mobile_field_editable: boolean;
  metadata?: SessionMetadata;
}

export interface CreateSessionInput extends SharedSessionInput {
  aa_journey_mode?: AaJourneyMode;
  aa_recurring_tenure_month?: number;
  aa_recurring_tenure_month_count?: number;
  aa_recurring_frequency_unit?: AaFrequencyUnit;
  aa_recurring_frequency_value?: number;
}

/** A v2 consent override, as sent: any of its dates, DD/MM/YYYY. */
export type ConsentOverride = Partial<Record<'from_date' | 'to_date' | 'consent_expiry', string>>;

export interface CreateSessionV2Input extends SharedSessionInput {
  /** Alias of bank_name (V2's examples). */
  bank?: string;
  aa_journey_code?: AaJourneyCode;
  consents?: Record<string, ConsentOverride>;
}

export interface CreateSessionResult {
  status: number;
  body: { session_id: string; redirect_url: string };
  /** True when an earlier response was replayed for the same Idempotency-Key. */
  replayed: boolean;
}

export interface IdempotentRequest {
  key: string;
  /** Canonical form of the request body, compared on replay. */
  body: Record<string, unknown>;
}

/** AA consents may look back at most this many months (Sahamati fair-use). */
const AA_MAX_LOOKBACK_MONTHS = 14;
/** Recurring-consent tenure: accepted range, and the cap it is stored at. */
const AA_TENURE = { min: 1, max: 84, cap: 60, default: 12 } as const;
const AA_FREQUENCY_VALUE = { min: 1, max: 5 } as const;
const SESSION_EXPIRY = { min: 5, max: 43200 } as const;
const RECURRING: readonly AaJourneyMode[] = ['only_recurring', 'once_with_recurring'];
/** v2's periodic consent: there is no request parameter for these, so they are fixed defaults. */
const V2_PERIODIC = { tenureMonths: 12, frequencyUnit: 'month', frequencyValue: 1 } as const;
/** Replays of one version's request never answer the other's (their links differ). */
const IDEMPOTENCY_SCOPE: Record<SessionApiVersion, string> = { 1: 'session.create', 2: 'session.create.v2' };

function dateRange(
  fromText: string | undefined,
  toText: string | undefined,
  messages: { format?: string; range?: string; missing?: string },
): { from: CalendarDate; to: CalendarDate } | null {
  if (fromText === undefined && toText === undefined) return null;
  if (fromText === undefined || toText === undefined) throw new AppError('MISSING_DATE_FIELD', messages.missing);
  const from = parseDayMonthYear(fromText);
  const to = parseDayMonthYear(toText);
  if (!from || !to) throw new AppError('INVALID_DATE_FORMAT', messages.format);
  if (from >= to) throw new AppError('INVALID_DATE_RANGE', messages.range);
  return { from, to };
}

/**
 * Months the journey must cover: every calendar month from `from` to `to`, except `to`'s month
 * when `to` falls in its first week — unless that would leave nothing to cover.
 */
export function requiredMonths(from: CalendarDate, to: CalendarDate): string[] {
  const months = monthsBetween(from, to);
  return parts(to).day <= 7 && months.length > 1 ? months.slice(0, -1) : months;
}

/** 10 digits starting 6–9, after dropping spaces, hyphens and a +91 / 91 / 0 prefix. */
export function normaliseMobileNumber(text: string): string | null {
  const m = /^(?:\+91|91|0)?([6-9]\d{9})$/.exec(text.replace(/[\s-]/g, ''));
  return m ? m[1]! : null;
}

/** What the AA step of either version may use: the session as decided so far. */
interface AaContext {
  bankGiven: boolean;
  mode: Mode | undefined;
  /** The session's dates, after the AA look-back clamp. */
  fromDate: CalendarDate;
  toDate: CalendarDate;
  today: CalendarDate;
  expiresAt: Date;
  timeZone: string;
}

type AaStep = (context: AaContext) => AaSettings | null;

/** Session API v1: `aa_journey_mode` and the recurring parameters. */
function aaSettings(input: CreateSessionInput, { bankGiven }: AaContext): AaSettings | null {
  const tenureGiven = input.aa_recurring_tenure_month ?? input.aa_recurring_tenure_month_count;
  const recurringGiven =
    tenureGiven !== undefined || input.aa_recurring_frequency_unit !== undefined || input.aa_recurring_frequency_value !== undefined;

  if (input.aa_journey_mode !== undefined && (input.mode !== 'aa' || !bankGiven)) {
    throw new AppError('MISSING_AA_PARAMETER', MESSAGES.aaNeedsBankAndMode);
  }
  if (input.mode !== 'aa') {
    if (recurringGiven) throw new AppError('MISSING_AA_PARAMETER', MESSAGES.aaNeedsJourneyMode);
    return null;
  }
  const journeyMode = input.aa_journey_mode ?? 'only_once';
  if (!RECURRING.includes(journeyMode)) {
    if (recurringGiven) throw new AppError('MISSING_AA_PARAMETER', MESSAGES.aaNeedsJourneyMode);
    return { journeyMode, recurringTenureMonth: null, recurringFrequencyUnit: null, recurringFrequencyValue: null };
  }
  if (input.aa_recurring_frequency_unit === undefined || input.aa_recurring_frequency_value === undefined) {
    throw new AppError('MISSING_AA_PARAMETER');
  }
  const { aa_recurring_tenure_month: a, aa_recurring_tenure_month_count: b } = input;
  if (a !== undefined && b !== undefined && a !== b) {
    throw new AppError('INVALID_AA_PARAMETER', 'aa_recurring_tenure_month and aa_recurring_tenure_month_count differ');
  }
  const tenure = tenureGiven ?? AA_TENURE.default;
  if (tenure < AA_TENURE.min || tenure > AA_TENURE.max) throw new AppError('INVALID_AA_PARAMETER');
  const value = input.aa_recurring_frequency_value;
  if (value < AA_FREQUENCY_VALUE.min || value > AA_FREQUENCY_VALUE.max) {
    throw new AppError('INVALID_AA_PARAMETER', MESSAGES.frequencyValueRange);
  }
  return {
    journeyMode,
    recurringTenureMonth: Math.min(tenure, AA_TENURE.cap),
    recurringFrequencyUnit: input.aa_recurring_frequency_unit,
    recurringFrequencyValue: value,
  };
}

function consentDate(label: string, property: keyof ConsentOverride, text: string | undefined): CalendarDate | undefined {
  if (text === undefined) return undefined;
  const date = parseDayMonthYear(text);
  if (!date) throw new AppError('INVALID_DATE_FORMAT', `Invalid \`${label}.${property}\` format. Use \`DD/MM/YYYY\`.`);
  return date;
}

/** Whole months from `from` to `to`, at least 1: the tenure a periodic consent's expiry gives. */
function tenureMonths(from: CalendarDate, to: CalendarDate): number {
  const a = parts(from);
  const b = parts(to);
  return Math.max(1, (b.year - a.year) * 12 + (b.month - a.month) - (b.day < a.day ? 1 : 0));
}

/**
 * A consent's generated dates (layer 1 of BankConnect's three; there are no per-client
 * overrides yet, layer 2): one-time consents cover the session's range and last until the day
 * after the session expires, so a consent raised at any time in the session's life can be
 * fetched; periodic (and collections) consents run from the session's from_date to
 * V2_PERIODIC.tenureMonths ahead, and expire then.
 */
function defaultConsent(template: AaConsentTemplate, context: AaContext): AaConsentWindow {
  if (template === 'CT001') {
    return { template, fromDate: context.fromDate, toDate: context.toDate, consentExpiry: addDays(today(context.expiresAt, context.timeZone), 1) };
  }
  const end = addMonths(context.today, V2_PERIODIC.tenureMonths);
  return { template, fromDate: context.fromDate, toDate: end, consentExpiry: end };
}

/** Layer 3: the request's dates over the defaults, then the same bounds as v1's. */
function effectiveConsent(code: string, template: AaConsentTemplate, given: ConsentOverride, context: AaContext): AaConsentWindow {
  const label = `consents.${code}`;
  const generated = defaultConsent(template, context);
  const toDate = consentDate(label, 'to_date', given.to_date) ?? generated.toDate;
  let fromDate = consentDate(label, 'from_date', given.from_date) ?? generated.fromDate;
  let consentExpiry = consentDate(label, 'consent_expiry', given.consent_expiry) ?? generated.consentExpiry;
  // Look back at most AA_MAX_LOOKBACK_MONTHS, moved up rather than refused (as v1's from_date):
  // from the consent's end for a one-time consent, from today for the others.
  const earliest = addMonths(template === 'CT001' ? toDate : context.today, -AA_MAX_LOOKBACK_MONTHS);
  if (fromDate < earliest) fromDate = earliest;
  if (fromDate >= toDate) throw new AppError('INVALID_DATE_RANGE', `\`${label}.from_date\` cannot be greater or equal to \`${label}.to_date\`.`);
  if (consentExpiry < context.today) throw new AppError('INVALID_AA_PARAMETER', `\`${label}.consent_expiry\` cannot be before today.`);
  // v1 stores tenures over 60 months as 60; the same cap, on the expiry.
  const latest = addMonths(context.today, AA_TENURE.cap);
  if (template !== 'CT001' && consentExpiry > latest) consentExpiry = latest;
  return { template, fromDate, toDate, consentExpiry };
}

/**
 * Session API v2: `aa_journey_code` (default BCAA001) and `consents`. Stored for sessions whose
 * mode is aa, or absent (the user may pick AA in the journey, and these are then its consents).
 */
function aaSettingsV2(input: CreateSessionV2Input, context: AaContext): AaSettings | null {
  const asked = input.aa_journey_code !== undefined || input.consents !== undefined;
  if (context.mode !== undefined && context.mode !== 'aa') {
    if (asked) throw new AppError('MISSING_AA_PARAMETER', MESSAGES.aaNeedsBankAndMode);
    return null;
  }
  const journeyCode = input.aa_journey_code ?? 'BCAA001';
  const journey = AA_JOURNEY_CODES[journeyCode];
  const codes = Object.keys(journey.consents);
  for (const code of Object.keys(input.consents ?? {})) {
    if (!codes.includes(code)) {
      throw new AppError('INVALID_AA_PARAMETER', `consents, "${code}" is not a consent of ${journeyCode} (${codes.join(', ')}).`);
    }
  }
  const consents: Record<string, AaConsentWindow> = {};
  for (const [code, template] of Object.entries<AaConsentTemplate>(journey.consents)) {
    consents[code] = effectiveConsent(code, template, input.consents?.[code] ?? {}, context);
  }
  const periodic = Object.values(consents).find((c) => c.template === 'CT003');
  return {
    journeyMode: journey.journeyMode,
    recurringTenureMonth: periodic ? tenureMonths(context.today, periodic.consentExpiry) : null,
    recurringFrequencyUnit: periodic ? V2_PERIODIC.frequencyUnit : null,
    recurringFrequencyValue: periodic ? V2_PERIODIC.frequencyValue : null,
    journeyCode,
    consents,
  };
}

/**
 * v2's input as the shared rules take it: `bank` is `bank_name`; a journey code or consents
 * with a bank and no mode mean mode aa (V2 scenario 2: the journey goes straight to the AA).
 */
function v2SharedInput(input: CreateSessionV2Input): SharedSessionInput {
  const { bank, aa_journey_code: _code, consents: _consents, ...shared } = input;
  if (bank !== undefined && shared.bank_name !== undefined && bank.toLowerCase() !== shared.bank_name.toLowerCase()) {
    throw new AppError('INVALID_REQUEST', MESSAGES.bankAliasConflict);
  }
  const bankName = shared.bank_name ?? bank;
  const aaAsked = input.aa_journey_code !== undefined || input.consents !== undefined;
  const mode = shared.mode ?? (aaAsked && bankName !== undefined ? 'aa' : undefined);
  return { ...shared, ...(bankName === undefined ? {} : { bank_name: bankName }), ...(mode === undefined ? {} : { mode }) };
}

type BuildDeps = Pick<Deps, 'banks' | 'config' | 'now'>;

/** Applies every v1 rule and default; throws the first AppError. Pure apart from `deps.now()`. */
export function buildSession(deps: BuildDeps, client: Client, input: CreateSessionInput): Session {
  return buildSessionWith(deps, client, input, 1, (context) => aaSettings(input, context));
}

/** The same for Session API v2. */
export function buildSessionV2(deps: BuildDeps, client: Client, input: CreateSessionV2Input): Session {
  return buildSessionWith(deps, client, v2SharedInput(input), 2, (context) => aaSettingsV2(input, context));
}

function buildSessionWith(deps: BuildDeps, client: Client, input: SharedSessionInput, apiVersion: SessionApiVersion, aaStep: AaStep): Session {
  const now = deps.now();

  // Bank and mode
  const bank = input.bank_name === undefined ? undefined : deps.banks.find(input.bank_name);
  if (input.bank_name !== undefined && !bank) throw new AppError('INVALID_BANK_NAME');
  if (input.mode !== undefined) {
    if (!bank) throw new AppError('MISSING_BANK_NAME');
    if (!deps.banks.offers(bank, input.mode)) throw new AppError('MODE_NOT_AVAILABLE');
    if (!client.enabledModes.includes(input.mode)) throw new AppError('MODE_NOT_ENABLED');
  }

  // Dates
  const asked = dateRange(input.from_date, input.to_date, {});
  const bounds = dateRange(input.max_from_date, input.max_to_date, {
    format: MESSAGES.maxDateFormat,
    range: MESSAGES.maxDateRange,
    missing: MESSAGES.maxDateMissing,
  });
  const todayDate = today(now, deps.config.timeZone);
  const toDate = asked?.to ?? todayDate;
  let fromDate = asked?.from ?? addMonths(toDate, -6);

  // Mobile number and expiry
  let mobileNumber: string | null = null;
  if (input.mobile_number !== undefined) {
    mobileNumber = normaliseMobileNumber(input.mobile_number);
    if (!mobileNumber) throw new AppError('INVALID_MOBILE_NUMBER');
  }
  let expiryMinutes = deps.config.defaultSessionExpiryMinutes;
  if (input.session_expiry !== undefined) {
    const text = input.session_expiry;
    expiryMinutes = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
    if (!(expiryMinutes >= SESSION_EXPIRY.min && expiryMinutes <= SESSION_EXPIRY.max)) throw new AppError('INVALID_SESSION_EXPIRY');
  }

  // Account Aggregator
  if (input.mode === 'aa') {
    const earliest = addMonths(toDate, -AA_MAX_LOOKBACK_MONTHS);
    if (fromDate < earliest) fromDate = earliest;
  }
  const expiresAt = new Date(now.getTime() + expiryMinutes * 60_000);
  const aa = aaStep({ bankGiven: bank !== undefined, mode: input.mode, fromDate, toDate, today: todayDate, expiresAt, timeZone: deps.config.timeZone });

  // URLs
  for (const url of [input.redirect_url, input.logo_url]) {
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('INVALID_URL');
  }
  if (input.redirect_url && !redirectHostAllowed(client, input.redirect_url.hostname)) throw new AppError('INVALID_URL');

  return {
    sessionId: randomUUID(),
    apiVersion,
    clientId: client.clientId,
    linkId: input.link_id,
    status: 'created',
    fromDate,
    toDate,
    months: requiredMonths(fromDate, toDate),
    maxFromDate: bounds?.from ?? null,
    maxToDate: bounds?.to ?? null,
    bankName: bank?.name ?? null,
    mode: input.mode ?? null,
    journeyMode: input.journey_mode ?? null,
    redirectUrl: input.redirect_url?.toString() ?? null,
    logoUrl: input.logo_url?.toString() ?? null,
    mobileNumber,
    isMobileFieldEditable: input.is_mobile_field_editable,
    acceptAnything: input.accept_anything,
    aa,
    metadata: input.metadata ?? null,
    createdAt: now,
    expiresAt,
    processingRequestedAt: null,
    processingCompletedAt: null,
    deletedAt: null,
    userCompletedAt: null,
  };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(body: Record<string, unknown>): string {
  const { api_key: _secret, ...rest } = body;
  return createHash('sha256').update(canonical(rest)).digest('hex');
}

export function createSession(deps: Deps, client: Client, input: CreateSessionInput, idempotent?: IdempotentRequest): Promise<CreateSessionResult> {
  return storeSession(deps, client, buildSession(deps, client, input), idempotent);
}

/** Session API v2: the same, with v2's AA parameters and a journey link carrying its signed token. */
export function createSessionV2(deps: Deps, client: Client, input: CreateSessionV2Input, idempotent?: IdempotentRequest): Promise<CreateSessionResult> {
  return storeSession(deps, client, buildSessionV2(deps, client, input), idempotent);
}

async function storeSession(deps: Deps, client: Client, session: Session, idempotent?: IdempotentRequest): Promise<CreateSessionResult> {
  const token = session.apiVersion === 2 ? await journeyToken(deps.db, session.sessionId) : undefined;
  const body = { session_id: session.sessionId, redirect_url: journeyUrl(deps.config.publicUrl, session.sessionId, token) };
  if (!idempotent) {
    await deps.sessionWriter.write(session);
    return { status: 200, body, replayed: false };
  }
  const hash = requestHash(idempotent.body);
  return deps.db.transaction(async (tx) => {
    const earlier = await idempotencyRepository(tx).claim(client.clientId, IDEMPOTENCY_SCOPE[session.apiVersion], idempotent.key, {
      requestHash: hash,
      status: 200,
      body,
    });
    if (earlier) {
      if (earlier.requestHash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return { status: earlier.status, body: earlier.body as CreateSessionResult['body'], replayed: true };
    }
    await sessionsRepository(tx).insert(session);
    return { status: 200, body, replayed: false };
  });
}
