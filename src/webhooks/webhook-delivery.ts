/**
 * One delivery attempt: a signed POST to the client's URL through the SSRF-safe fetcher, so the
 * address is checked again at every attempt (a name that now resolves to a private address is
 * refused at connect time), and redirects are not followed (a receiver must answer itself).
 */
import type { WebhookSettings } from '../config.ts';
import { fetchPublicUrl, UrlRefusedError, type KeepAliveAgents } from '../net/public-url.ts';
import type { AttemptRecord } from '../store/repositories/webhooks-repository.ts';
import { signedHeaders } from './webhook-signing.ts';

/** A receiver's answer is not used; this only stops a huge one from tying the worker up. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** Retries wait at most this long, however many came before. */
const MAX_RETRY_DELAY_MS = 3600_000;

export interface AttemptResult extends AttemptRecord {
  ok: boolean;
  /**
   * A 429's Retry-After as the receiver sent it. Read by the dispatcher, against its clock and
   * within the event's retry window, since the receiver's wish alone must not decide the wait.
   */
  retryAfter: string | null;
}

export async function attemptDelivery(
  url: string,
  eventId: string,
  body: string,
  secrets: string[],
  settings: Pick<WebhookSettings, 'allowHttp' | 'allowPrivate' | 'timeoutMs'>,
  agents?: KeepAliveAgents,
): Promise<AttemptResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  try {
    const res = await fetchPublicUrl(url, {
      allowPrivate: settings.allowPrivate,
      allowHttp: settings.allowHttp,
      timeoutMs: settings.timeoutMs,
      maxBytes: MAX_ANSWER_BYTES,
      maxRedirects: 0,
      method: 'POST',
      headers: signedHeaders(eventId, body, secrets, startedAt),
      body,
      ...(agents ? { agents } : {}),
    });
    const ok = res.status >= 200 && res.status < 300;
    return {
      startedAt,
      statusCode: res.status,
      latencyMs: performance.now() - t0,
      error: ok ? null : `The receiver answered HTTP ${res.status}.`,
      ok,
      retryAfter: res.status === 429 ? (res.headers['retry-after'] ?? null) : null,
    };
  } catch (error) {
    let message = 'The delivery failed.';
    if (error instanceof UrlRefusedError) {
      message = error.reason === 'too-many-redirects' ? 'The receiver answered with a redirect; redirects are not followed.' : error.message;
    }
    return { startedAt, statusCode: null, latencyMs: performance.now() - t0, error: message, ok: false, retryAfter: null };
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d\\d):(\\d\\d):(\\d\\d)';
/** The three forms of HTTP-date a recipient must accept (RFC 9110 §5.6.7); groups: day, month, year, h, m, s. */
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`);
/** Groups: month, day, h, m, s, year. */
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d\\d) ${TIME} (\\d{4})$`);

/**
 * An HTTP-date as milliseconds since the epoch, or null. Not Date.parse: it takes almost
 * anything ("1.5" is a day in 2001, "-1" a year BC), and a garbled header must not pass for a date.
 */
export function parseHttpDate(text: string, now: number): number | null {
  let fields: string[] | undefined;
  let year: number;
  const fixdate = IMF_FIXDATE.exec(text);
  const rfc850 = RFC850_DATE.exec(text);
  const asctime = ASCTIME_DATE.exec(text);
  if (fixdate) {
    fields = fixdate.slice(1);
    year = Number(fields[2]);
  } else if (rfc850) {
    fields = rfc850.slice(1);
    // A two-digit year more than 50 years ahead is in the past century (RFC 9110 §5.6.7).
    const thisYear = new Date(now).getUTCFullYear();
    year = Math.floor(thisYear / 100) * 100 + Number(fields[2]);
    if (year > thisYear + 50) year -= 100;
  } else if (asctime) {
    const [month, day, h, m, s, y] = asctime.slice(1) as [string, string, string, string, string, string];
    fields = [day.trim(), month, y, h, m, s];
    year = Number(y);
  } else {
    return null;
  }
  const [day, month, h, m, s] = [Number(fields[0]), MONTHS.indexOf(fields[1]!), Number(fields[3]), Number(fields[4]), Number(fields[5])];
  if (h > 23 || m > 59 || s > 60) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  // 31 Feb would roll over into March: a day that does not exist is not a date.
  if (date.getUTCDate() !== day) return null;
  return date.getTime() + ((h * 60 + m) * 60 + s) * 1000;
}

/**
 * `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), as a wait from `now` in
 * milliseconds: 0 for a date already past, possibly huge or Infinity for a huge number (the
 * caller bounds it). Null when it is neither.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  if (value === undefined || value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = parseHttpDate(text, now);
  return date === null ? null : Math.max(0, date - now);
}

/**
 * The wait before the next attempt, after `attempts` failed ones: base, 2×base, 4×base… up to
 * an hour, plus up to 10 % jitter so that receivers coming back up are not hit all at once.
 * A 429's Retry-After can lengthen it, not shorten it: see `webhooksRepository.recordAttempts`.
 */
export function retryDelayMs(attempts: number, baseMs: number, random = Math.random): number {
  const delay = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(30, attempts - 1));
  return delay * (1 + 0.1 * random());
}
