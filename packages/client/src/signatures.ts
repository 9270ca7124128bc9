/**
 * Checks that a webhook delivery or a journey redirect came from Passbook, with WebCrypto only
 * (browsers, Node 18+, Deno, workers). The schemes are the server's (docs/webhooks.md,
 * docs/journey.md "The redirect and its signature"):
 * - webhook: `x-passbook-signature` holds one or more `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`
 *   (several during a secret rotation), `x-passbook-timestamp` the Unix seconds it was signed;
 * - redirect: `signature` is the hex HMAC-SHA256 of every other query parameter, in order, as
 *   decoded `k=v` pairs joined by `&`, keyed with the lowercase hex SHA-256 of the server hash.
 */

const encoder = new TextEncoder();

/** Node 18 has WebCrypto only as node:crypto's `webcrypto` (it became global in Node 19). */
async function subtle(): Promise<SubtleCrypto> {
  const global = (globalThis as { crypto?: Crypto }).crypto;
  if (global?.subtle) return global.subtle;
  // A variable specifier, so that bundlers for the browser leave it alone.
  const specifier = 'node:crypto';
  const mod = (await import(/* @vite-ignore */ specifier)) as { webcrypto: Crypto };
  return mod.webcrypto.subtle;
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function hmacSha256Hex(key: string, message: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const crypto = await subtle();
  const cryptoKey = await crypto.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.sign('HMAC', cryptoKey, typeof message === 'string' ? encoder.encode(message) : message));
}

/** Compares in time independent of where the strings differ, so a forger learns nothing from timing. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const found = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = found === undefined ? undefined : record[found];
  return Array.isArray(value) ? value.join(',') : value;
}

export interface VerifyWebhookOptions {
  /** The webhook secret (`whsec_…`) that update_webhook or rotate_webhook_secret answered. */
  secret: string;
  /** The request's headers (a fetch Headers, or Node's IncomingMessage.headers). */
  headers: HeaderSource;
  /** The raw body exactly as received: re-serialised JSON does not verify. */
  body: string | Uint8Array;
  /** Oldest signature accepted, in seconds (default 300): a captured request replayed later fails. */
  toleranceSeconds?: number;
  /** The current time in milliseconds (default Date.now()). */
  now?: () => number;
}

export type WebhookVerification = { valid: true; eventId: string | undefined; timestamp: number } | { valid: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' };

/** Whether a delivery is Passbook's, signed with `secret` within the tolerance. */
export async function verifyWebhookSignature(options: VerifyWebhookOptions): Promise<WebhookVerification> {
  const timestampText = headerValue(options.headers, 'x-passbook-timestamp');
  const signatures = headerValue(options.headers, 'x-passbook-signature');
  if (!timestampText || !signatures || !/^\d+$/.test(timestampText)) return { valid: false, reason: 'missing-headers' };
  const timestamp = Number(timestampText);
  const now = (options.now ?? Date.now)() / 1000;
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return { valid: false, reason: 'stale-timestamp' };
  const body = typeof options.body === 'string' ? encoder.encode(options.body) : options.body;
  const expected = `v1=${await hmacSha256Hex(options.secret, concat(encoder.encode(`${timestamp}.`), body))}`;
  // Every value is compared, matching or not, so the time taken says nothing about which matched.
  const matches = signatures.split(',').map((s) => constantTimeEqual(s.trim(), expected));
  if (!matches.includes(true)) return { valid: false, reason: 'bad-signature' };
  return { valid: true, eventId: headerValue(options.headers, 'x-passbook-event-id'), timestamp };
}

/** The key redirect signatures are made with: the lowercase hex SHA-256 of the server hash. */
async function redirectKey(serverHash: string): Promise<string> {
  return hex(await (await subtle()).digest('SHA-256', encoder.encode(serverHash)));
}

export type RedirectVerification =
  | { valid: true; success: boolean; sessionId: string | undefined; params: URLSearchParams }
  | { valid: false; reason: 'missing-signature' | 'bad-signature' };

/**
 * Whether the URL the journey sent the user back to (the session's redirect_url with
 * `success`, `session_id` and `signature` appended) is Passbook's. It carries no timestamp:
 * still check that the session_id is one you created for this user.
 */
export async function verifyRedirectSignature(url: string | URL, serverHash: string): Promise<RedirectVerification> {
  const params = new URL(url).searchParams;
  const given = params.get('signature');
  if (!given) return { valid: false, reason: 'missing-signature' };
  const signed = [...params].filter(([k]) => k !== 'signature').map(([k, v]) => `${k}=${v}`).join('&');
  const expected = await hmacSha256Hex(await redirectKey(serverHash), signed);
  if (!constantTimeEqual(given, expected)) return { valid: false, reason: 'bad-signature' };
  return { valid: true, success: params.get('success') === 'true', sessionId: params.get('session_id') ?? undefined, params };
}
