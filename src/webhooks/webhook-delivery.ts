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
  /** From a 429's Retry-After, when it had a usable one. */
  retryAfterMs: number | null;
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
      retryAfterMs: res.status === 429 ? retryAfterMs(res.headers['retry-after'], Date.now()) : null,
    };
  } catch (error) {
    let message = 'The delivery failed.';
    if (error instanceof UrlRefusedError) {
      message = error.reason === 'too-many-redirects' ? 'The receiver answered with a redirect; redirects are not followed.' : error.message;
    }
    return { startedAt, statusCode: null, latencyMs: performance.now() - t0, error: message, ok: false, retryAfterMs: null };
  }
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * The wait before the next attempt, after `attempts` failed ones: base, 2×base, 4×base… up to
 * an hour, plus up to 10 % jitter so that receivers coming back up are not hit all at once.
 * A 429's Retry-After replaces it.
 */
export function retryDelayMs(attempts: number, baseMs: number, retryAfter: number | null, random = Math.random): number {
  if (retryAfter !== null) return retryAfter;
  const delay = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(30, attempts - 1));
  return delay * (1 + 0.1 * random());
}
