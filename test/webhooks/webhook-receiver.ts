/**
 * A real webhook receiver on loopback, as a lender would run: it records every request and
 * answers as the test scripts it, including never answering at all.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { TestContext } from 'node:test';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, any>;
  at: number;
}

export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** TCP connections opened to the receiver so far. */
  connections: number;
  /** Changes how later requests are answered; `n` counts requests from 0. */
  answer: (n: number, request: Received) => Answer;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  /** Requests answered so far ('hang' never is). */
  answered: number;
  /** Closes every connection, so that requests left hanging fail at once instead of timing out. */
  dropConnections(): void;
}

export async function startReceiver(t: TestContext, answer: Receiver['answer'] = () => ({ status: 200 })): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    connections: 0,
    answered: 0,
    answer,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${receiver.received.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return receiver.received;
    },
    dropConnections: () => server.closeAllConnections(),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: Received = { headers: req.headers, body, json: JSON.parse(body) as Record<string, any>, at: Date.now() };
      const n = receiver.received.length;
      receiver.received.push(request);
      const a = receiver.answer(n, request);
      if (a === 'hang') return;
      receiver.answered++;
      res.writeHead(a.status, a.headers).end('ok');
    });
  });
  server.on('connection', () => receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/passbook`;
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return receiver;
}

/** What a lender's receiver does: recompute the HMAC over `timestamp.body` and refuse stale requests. */
export function verifySignature(secret: string, request: Pick<Received, 'headers' | 'body'>, nowSeconds = Date.now() / 1000): boolean {
  const timestamp = String(request.headers['x-passbook-timestamp']);
  const signatures = String(request.headers['x-passbook-signature']).split(',');
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
  return signatures.some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected));
}
