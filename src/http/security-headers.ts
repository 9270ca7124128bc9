/**
 * Headers every response carries, set in one place. API answers carry personal data (statements,
 * identities, transactions): no cache along the way may keep them, no browser may sniff them into
 * something it runs, and no page may frame them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Set on every response whose route did not set its own (journey assets and bank logos are cacheable). */
export const DEFAULT_SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

function isHtml(contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.startsWith('text/html');
}

export function setSecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(DEFAULT_SECURITY_HEADERS)) {
    if (!reply.hasHeader(name)) reply.header(name, value);
  }
  // Pages decide their own framing in their Content-Security-Policy: the journey is embedded
  // in lenders' pages on purpose (frame-ancestors), and its AA consent screens load in the
  // same frame. Anything else is never meant to be framed.
  if (!isHtml(reply.getHeader('content-type')) && !reply.hasHeader('content-security-policy')) reply.header('x-frame-options', 'DENY');
}

/** Every answer gets them; Fastify's framework errors, which skip onSend, call setSecurityHeaders (app.ts). */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    setSecurityHeaders(reply);
  });
}
