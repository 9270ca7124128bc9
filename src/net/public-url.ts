/**
 * Fetching a URL that an API client gave us (a statement `file_url`, later webhook URLs).
 *
 * Such a URL is attacker-controlled, so without care it lets a client make this server reach
 * its own loopback, the cloud metadata endpoint (169.254.169.254) or the private network
 * (SSRF). The rules here:
 * - only http(s), no credentials in the URL;
 * - every address the host resolves to must be public, checked in the socket's own `lookup`,
 *   so the address that is connected to is the address that was checked (a DNS answer that
 *   changes between a check and the connect, "DNS rebinding", cannot slip through);
 * - redirects are followed by hand, and each hop goes through the same checks;
 * - one deadline covers the whole exchange and the body is capped, so a slow or huge answer
 *   cannot tie the process up.
 * Error messages never contain the URL (a presigned URL carries a secret) nor the resolved
 * address (that would tell a client about the internal network).
 */
import { BlockList, isIP, type Socket } from 'node:net';
import dns from 'node:dns';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';

export type UrlRefusalReason =
  | 'invalid-url'
  | 'scheme'
  | 'credentials'
  | 'private-address'
  | 'unresolvable'
  | 'too-large'
  | 'timeout'
  | 'http-status'
  | 'too-many-redirects'
  | 'connection';

const DEFAULT_MESSAGES: Record<UrlRefusalReason, string> = {
  'invalid-url': 'The URL is not valid.',
  scheme: 'The URL scheme is not allowed.',
  credentials: 'URLs with a user name or password are not allowed.',
  'private-address': 'The URL points to a private or reserved address.',
  unresolvable: 'The URL host name does not resolve.',
  'too-large': 'The response is too large.',
  timeout: 'The server did not answer in time.',
  'http-status': 'The server answered with an unexpected status.',
  'too-many-redirects': 'The URL redirects too many times.',
  connection: 'The connection to the server failed.',
};

export class UrlRefusedError extends Error {
  readonly reason: UrlRefusalReason;

  constructor(reason: UrlRefusalReason, message?: string, options?: ErrorOptions) {
    super(message ?? DEFAULT_MESSAGES[reason], options);
    this.name = 'UrlRefusedError';
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** IPv4 ranges that are not reachable on the public internet (IANA special-purpose registry). */
const NON_PUBLIC_V4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including the cloud metadata endpoint
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including 255.255.255.255
] as const) {
  NON_PUBLIC_V4.addSubnet(network, prefix, 'ipv4');
}

/**
 * IPv6 is checked the other way round: only global unicast (2000::/3) is public, so loopback,
 * unspecified, unique-local (fc00::/7), link-local (fe80::/10), site-local, multicast and any
 * future special range are refused without being listed.
 */
const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');

/** Parts of 2000::/3 that are not ordinary public addresses. */
const NON_PUBLIC_V6 = new BlockList();
// IETF protocol assignments, including Teredo (2001::/32, whose embedded client address is
// obfuscated) and benchmarking (2001:2::/48). No legitimate fetch target lives here.
NON_PUBLIC_V6.addSubnet('2001::', 23, 'ipv6');
NON_PUBLIC_V6.addSubnet('2001:db8::', 32, 'ipv6'); // documentation
NON_PUBLIC_V6.addSubnet('3fff::', 20, 'ipv6'); // documentation

/** The eight 16-bit groups of a valid IPv6 address (without zone), `::` and a dotted tail expanded. */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? [] : Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  return [...headGroups, ...zeros, ...restGroups].map((group) => parseInt(group, 16));
}

function ipv4FromGroups(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The IPv4 address an IPv6 address stands for, when it is one of the forms that the network
 * stack or a translator turns into an IPv4 connection. `::ffff:127.0.0.1` reaches 127.0.0.1,
 * so these must be judged by the IPv4 address inside.
 */
function embeddedIpv4(groups: number[]): string | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const zeroTo3 = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (zeroTo3 && g4 === 0 && (g5 === 0xffff || g5 === 0)) return ipv4FromGroups(g6, g7); // mapped, compatible (and :: / ::1)
  if (zeroTo3 && g4 === 0xffff && g5 === 0) return ipv4FromGroups(g6, g7); // SIIT-translated
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4FromGroups(g6, g7); // NAT64
  if (g0 === 0x2002) return ipv4FromGroups(g1, g2); // 6to4
  return undefined;
}

/**
 * True when `ip` is not a public unicast address: loopback, unspecified, private, link-local,
 * CGNAT, multicast, reserved, documentation, benchmarking, and IPv6 forms wrapping any of
 * those. Anything that is not an IP address at all is also "private", so that a caller that
 * passes garbage fails closed.
 */
export function isPrivateAddress(ip: string): boolean {
  const version = isIP(ip);
  if (version === 4) return NON_PUBLIC_V4.check(ip, 'ipv4');
  if (version !== 6) return true;
  // A zone index ("fe80::1%eth0") only makes sense for link-local and other scoped addresses.
  if (ip.includes('%')) return true;
  const v4 = embeddedIpv4(ipv6Groups(ip));
  if (v4 !== undefined) return NON_PUBLIC_V4.check(v4, 'ipv4');
  return !GLOBAL_UNICAST_V6.check(ip, 'ipv6') || NON_PUBLIC_V6.check(ip, 'ipv6');
}

// ---------------------------------------------------------------------------------------------
// URLs

export interface PublicUrlOptions {
  /** Allow loopback and private addresses (tests, or a deployment that fetches from its own network). */
  allowPrivate: boolean;
  /** Allow plain http as well as https. Default true. */
  allowHttp?: boolean;
}

/** `[::1]` → `::1`: URL keeps IPv6 literals bracketed, while isIP and lookup want them bare. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Everything that can be decided without DNS. The WHATWG parser has already rewritten odd IPv4
 * spellings (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) to dotted quads and IPv6 literals to
 * their canonical form, so an IP literal is judged here, and anything else is a name that must be
 * resolved.
 */
function checkUrlStatically(input: string | URL, options: PublicUrlOptions): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UrlRefusedError('invalid-url');
  }
  const allowHttp = options.allowHttp ?? true;
  if (!(url.protocol === 'https:' || (allowHttp && url.protocol === 'http:'))) {
    throw new UrlRefusedError('scheme', allowHttp ? 'Only http and https URLs are allowed.' : 'Only https URLs are allowed.');
  }
  if (url.username !== '' || url.password !== '') throw new UrlRefusedError('credentials');
  const host = bareHost(url);
  if (host === '') throw new UrlRefusedError('invalid-url');
  if (isIP(host) !== 0 && !options.allowPrivate && isPrivateAddress(host)) {
    throw new UrlRefusedError('private-address');
  }
  return url;
}

/**
 * Checks a URL before it is stored or used: scheme, credentials, and every address its host
 * resolves to. This alone does not make a later fetch safe (the DNS answer can change); use
 * `fetchPublicUrl`, which checks again at connect time.
 */
export async function checkPublicUrl(url: string, options: PublicUrlOptions): Promise<URL> {
  const parsed = checkUrlStatically(url, options);
  const host = bareHost(parsed);
  if (isIP(host) !== 0) return parsed;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch (error) {
    throw new UrlRefusedError('unresolvable', undefined, { cause: error });
  }
  if (addresses.length === 0) throw new UrlRefusedError('unresolvable');
  // Any private address refuses the name: the connection may use any of them.
  if (!options.allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new UrlRefusedError('private-address');
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Fetching

export interface FetchPublicUrlOptions extends PublicUrlOptions {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /** One deadline for the whole call: every hop, headers and body. */
  timeoutMs: number;
  /** Default 3. */
  maxRedirects?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Keep-alive agents whose sockets may be reused. They must serve only calls with the same
   * `allowPrivate` (one set per caller): a pooled socket is keyed by host and port, and its
   * address was checked once, when it connected. Default: a new connection for every call.
   */
  agents?: KeepAliveAgents;
}

export interface KeepAliveAgents {
  http: http.Agent;
  https: https.Agent;
}

export interface FetchedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL of the final hop, after redirects. */
  url: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Describe the body, so they go with it when a redirect turns the request into a GET (as in fetch). */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** Dropped when a redirect leaves the origin, as browsers and curl do. */
const CROSS_ORIGIN_DROPPED_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** A `lookup` for the socket that refuses the connection when any resolved address is private. */
function checkingLookup(allowPrivate: boolean): NonNullable<http.RequestOptions['lookup']> {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(new UrlRefusedError('unresolvable', undefined, { cause: error }), []);
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        callback(new UrlRefusedError('unresolvable'), []);
        return;
      }
      if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
        callback(new UrlRefusedError('private-address'), []);
        return;
      }
      // net asks for a list when it races IPv4 and IPv6 (autoSelectFamily), else for one address.
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/** Sends one request and resolves with the response head; the body is left unread. */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  allowPrivate: boolean,
  signal: AbortSignal,
  agents: KeepAliveAgents | undefined,
): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      // No shared pool: a pooled socket is keyed by host and port only, so one opened by a call
      // with allowPrivate could otherwise be reused by a call without it. A caller may bring
      // its own agents (see `agents`).
      agent: agents ? (url.protocol === 'https:' ? agents.https : agents.http) : false,
      lookup: checkingLookup(allowPrivate),
    });
    const onAbort = () => req.destroy(new UrlRefusedError('timeout'));
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal.removeEventListener('abort', onAbort));
    // `on`, not `once`: a request destroyed later (timeout, too large) emits 'error' again, and
    // an unheard 'error' would crash the process.
    req.on('error', reject);
    // The lookup already decided; this is a last check on the peer actually reached, in case a
    // future Node version connects without calling `lookup`. It runs before the request is
    // written, because the request's own write waits on a later 'connect' listener.
    req.once('socket', (socket: Socket) => {
      const checkPeer = () => {
        const peer = socket.remoteAddress;
        if (!allowPrivate && (peer === undefined || isPrivateAddress(peer))) {
          socket.destroy(new UrlRefusedError('private-address'));
        }
      };
      // A kept-alive socket (caller's agents) was checked when it connected.
      if (socket.connecting) socket.once('connect', checkPeer);
    });
    req.once('response', (res) => resolve({ req, res }));
    req.end(body);
  });
}

function readBody(req: ClientRequest, res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: Error) => {
      reject(error);
      req.destroy(error);
      res.destroy(error);
    };
    const onAbort = () => fail(new UrlRefusedError('timeout'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    res.once('close', () => signal.removeEventListener('abort', onAbort));
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Counted as it arrives: Content-Length may be absent (chunked) or false.
      if (size > maxBytes) return fail(new UrlRefusedError('too-large'));
      chunks.push(chunk);
    });
    res.once('end', () => {
      if (res.complete) resolve(Buffer.concat(chunks, size));
      else reject(new UrlRefusedError('connection', 'The connection closed before the body ended.'));
    });
    res.on('error', reject);
    // After 'end' this is a no-op; without 'end' the body was cut short.
    res.once('close', () => reject(new UrlRefusedError('connection', 'The connection closed before the body ended.')));
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Fetches `url`, refusing private addresses at every hop and at connect time. Statuses other
 * than 2xx are returned, not thrown: the caller decides (reason `http-status` exists for it).
 * Refusals and failures throw `UrlRefusedError`; invalid header names or values throw the
 * TypeError from node:http, since they are a caller's bug rather than the URL's fault.
 */
export async function fetchPublicUrl(url: string, options: FetchPublicUrlOptions): Promise<FetchedResponse> {
  const { allowPrivate, maxBytes, timeoutMs } = options;
  const maxRedirects = options.maxRedirects ?? 3;
  let method: string = options.method ?? 'GET';
  let body = options.body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    http.validateHeaderName(name);
    http.validateHeaderValue(name, value);
    headers[name.toLowerCase()] = value;
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const { signal } = controller;
  let current: string | URL = url;
  try {
    for (let redirects = 0; ; redirects++) {
      const target = checkUrlStatically(current, options);
      const { req, res } = await send(target, method, headers, body, allowPrivate, signal, options.agents);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;

      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        // The redirect's own body is not wanted; with no pooled socket, dropping it is free.
        req.destroy();
        if (redirects >= maxRedirects) throw new UrlRefusedError('too-many-redirects');
        let next: URL;
        try {
          next = new URL(location, target);
        } catch {
          throw new UrlRefusedError('invalid-url', 'The server redirected to an invalid URL.');
        }
        if (status === 301 || status === 302 || status === 303) {
          if (method !== 'GET') {
            method = 'GET';
            body = undefined;
            for (const name of BODY_HEADERS) delete headers[name];
          }
        }
        if (next.origin !== target.origin) {
          for (const name of CROSS_ORIGIN_DROPPED_HEADERS) delete headers[name];
        }
        current = next;
        continue;
      }

      // Refuse before reading when the server announces too much.
      const declared = Number(res.headers['content-length']);
      if (res.headers['content-length'] !== undefined && Number.isFinite(declared) && declared > maxBytes) {
        req.destroy();
        throw new UrlRefusedError('too-large');
      }
      const responseBody = await readBody(req, res, maxBytes, signal);
      return { status, headers: flattenHeaders(res.headers), body: responseBody, url: target.href };
    }
  } catch (error) {
    if (error instanceof UrlRefusedError && error.reason !== 'connection') throw error;
    if (signal.aborted) throw new UrlRefusedError('timeout', undefined, { cause: error });
    if (error instanceof UrlRefusedError) throw error;
    throw new UrlRefusedError('connection', undefined, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
