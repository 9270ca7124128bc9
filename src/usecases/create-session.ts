/**
 * Creates a session (BankConnect Session API V1): applies the documented rules, defaults and
 * clamps to already shape-checked input, stores the session, and answers with its journey URL.
 * Rules run in the order of the documented error table, so the first broken rule is reported.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AppError, MESSAGES } from '../errors/codes.ts';
import { redirectHostAllowed, type Client, type Mode } from '../domain/client.ts';
import type { AaFrequencyUnit, AaJourneyMode, AaSettings, JourneyMode, Session, SessionMetadata } from '../domain/session.ts';
import { addMonths, monthsBetween, parseDayMonthYear, parts, today, type CalendarDate } from '../lib/calendar-date.ts';
import { idempotencyRepository } from '../store/repositories/idempotency-repository.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import type { Deps } from './deps.ts';

export interface CreateSessionInput {
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
  aa_journey_mode?: AaJourneyMode;
  aa_recurring_tenure_month?: number;
  aa_recurring_tenure_month_count?: number;
  aa_recurring_frequency_unit?: AaFrequencyUnit;
  aa_recurring_frequency_value?: number;
  metadata?: SessionMetadata;
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
const IDEMPOTENCY_SCOPE = 'session.create';

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

function aaSettings(input: CreateSessionInput, bankGiven: boolean): AaSettings | null {
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

/** Applies every rule and default; throws the first AppError. Pure apart from `deps.now()`. */
export function buildSession(deps: Pick<Deps, 'banks' | 'config' | 'now'>, client: Client, input: CreateSessionInput): Session {
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
  const toDate = asked?.to ?? today(now, deps.config.timeZone);
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
  const aa = aaSettings(input, bank !== undefined);
  if (input.mode === 'aa') {
    const earliest = addMonths(toDate, -AA_MAX_LOOKBACK_MONTHS);
    if (fromDate < earliest) fromDate = earliest;
  }

  // URLs
  for (const url of [input.redirect_url, input.logo_url]) {
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('INVALID_URL');
  }
  if (input.redirect_url && !redirectHostAllowed(client, input.redirect_url.hostname)) throw new AppError('INVALID_URL');

  return {
    sessionId: randomUUID(),
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
    expiresAt: new Date(now.getTime() + expiryMinutes * 60_000),
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

export function journeyUrl(publicUrl: string, sessionId: string): string {
  return `${publicUrl}/?session_id=${sessionId}`;
}

export async function createSession(
  deps: Deps,
  client: Client,
  input: CreateSessionInput,
  idempotent?: IdempotentRequest,
): Promise<CreateSessionResult> {
  const session = buildSession(deps, client, input);
  const body = { session_id: session.sessionId, redirect_url: journeyUrl(deps.config.publicUrl, session.sessionId) };
  if (!idempotent) {
    await deps.sessionWriter.write(session);
    return { status: 200, body, replayed: false };
  }
  const hash = requestHash(idempotent.body);
  return deps.db.transaction(async (tx) => {
    const earlier = await idempotencyRepository(tx).claim(client.clientId, IDEMPOTENCY_SCOPE, idempotent.key, {
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
