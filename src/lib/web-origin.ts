/**
 * An origin (`https://host[:port]`) that is safe to write into a header list such as a
 * Content-Security-Policy source list.
 *
 * `new URL(x).origin` alone is not: the WHATWG parser keeps `;`, `,`, quotes, `*`, `(`, `$`
 * and more in a host name (`https://x;sandbox/l.png` has host `x;sandbox`, and `%3B` decodes
 * to `;`), so an origin taken from a lender's URL could end a CSP directive and start another.
 * Only host names made of letters, digits, `-` and `.` (IDNs arrive as punycode), IPv4 and
 * bracketed IPv6 addresses pass; anything else is refused rather than escaped, since no real
 * web host needs other characters.
 */

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/**
 * The origin of `input` when its scheme is one of `schemes` and its host is a plain host
 * name or IP address; null otherwise (including when it does not parse).
 */
export function safeOrigin(input: string | URL, schemes: readonly string[] = ['http:', 'https:']): string | null {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    return null;
  }
  if (!schemes.includes(url.protocol)) return null;
  if (!HOST_NAME.test(url.hostname) && !IPV6.test(url.hostname)) return null;
  // The port is digits by construction; checked anyway so the result is safe on its own terms.
  if (url.port !== '' && !/^[0-9]{1,5}$/.test(url.port)) return null;
  return url.origin;
}
