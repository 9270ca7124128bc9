/**
 * Admission control: at most `limit` requests are worked on at once; the others wait their
 * turn, first come first served. A burst — 200 session creations at once — is then worked
 * through `limit` at a time, so each turn of the event loop carries a bounded slice of it and
 * the routes marked `unqueued` (/healthz) are answered between slices instead of after the
 * whole burst (issue 13, item 9). The total work is the same; what changes is who waits
 * behind whom.
 *
 * A slot is taken as the request arrives (the first `onRequest` hook, so credentials are
 * checked inside it). It is for work, not for waiting on the network: while Fastify reads a
 * JSON or urlencoded body (preParsing to preValidation) and while a handler reads a multipart
 * body as a stream (`outsideAdmission`, used by multipart-body.ts), the request gives its slot
 * up and queues again after. A phone trickling a statement for a minute holds no slot.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasBody } from './request-body.ts';

class Admission {
  private active = 0;
  private readonly waiting: { request: FastifyRequest; admit: () => void }[] = [];
  private readonly admitted = new WeakSet<FastifyRequest>();
  /** Requests whose client went away: they take no slot again. */
  private readonly abandoned = new WeakSet<FastifyRequest>();

  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  async enter(request: FastifyRequest): Promise<void> {
    if (this.abandoned.has(request)) return;
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((admit) => this.waiting.push({ request, admit }));
    this.admitted.add(request);
  }

  leave(request: FastifyRequest): void {
    if (this.admitted.delete(request)) {
      // The slot passes straight to the next in line, so no newcomer can take it in between.
      const next = this.waiting.shift();
      if (next) next.admit();
      else this.active--;
      return;
    }
    // Given up while still waiting: it leaves the line.
    const i = this.waiting.findIndex((w) => w.request === request);
    if (i !== -1) this.waiting.splice(i, 1);
  }

  abandon(request: FastifyRequest): void {
    this.abandoned.add(request);
    this.leave(request);
  }

  holds(request: FastifyRequest): boolean {
    return this.admitted.has(request);
  }
}

const admissions = new WeakMap<FastifyRequest, Admission>();


function unqueued(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { unqueued?: boolean } | undefined)?.unqueued === true;
}

export function registerAdmission(app: FastifyInstance, limit: number): void {
  const admission = new Admission(limit);
  const parsing = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request) => {
    if (unqueued(request)) return;
    admissions.set(request, admission);
    await admission.enter(request);
  });
  // Fastify reads and parses a body between these two: outside the slot.
  app.addHook('preParsing', async (request) => {
    if (!admission.holds(request) || !hasBody(request)) return;
    parsing.add(request);
    admission.leave(request);
  });
  app.addHook('preValidation', async (request) => {
    if (parsing.delete(request)) await admission.enter(request);
  });
  app.addHook('onResponse', async (request) => admission.leave(request));
  app.addHook('onRequestAbort', async (request) => admission.abandon(request));
}

/** Runs `receive` (reading the request's body from the network) without holding a slot, then takes one again. */
export async function outsideAdmission<T>(request: FastifyRequest, receive: () => Promise<T>): Promise<T> {
  const admission = admissions.get(request);
  if (!admission?.holds(request)) return receive();
  admission.leave(request);
  try {
    return await receive();
  } finally {
    await admission.enter(request);
  }
}
