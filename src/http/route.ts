/**
 * Every API route goes through `route()`. The wrapper owns authentication, body reading and
 * response rendering, so a handler only turns parameters into one use-case call. It also
 * records which methods each path has, so any other method gets 405 METHOD_NOT_ALLOWED.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import type { Client } from '../domain/client.ts';
import type { Deps } from '../usecases/deps.ts';
import { AppError, MESSAGES } from '../errors/codes.ts';
import { readParams } from './request-params.ts';

export type Auth =
  /** No credentials. */
  | 'none'
  /** `x-api-key` header or `api_key` body parameter (session creation). */
  | 'api-key'
  /** `x-api-key` header only, refused with 403 / 402 (upload APIs). */
  | 'upload-api-key'
  /** `x-api-key` and `server-hash` headers (data APIs). */
  | 'api-key-and-server-hash'
  /** `Authorization: Bearer <ADMIN_TOKEN>`. */
  | 'admin';

type ClientFor<A extends Auth> = A extends 'api-key' | 'upload-api-key' | 'api-key-and-server-hash' ? Client : undefined;

export interface HandlerContext<C extends Client | undefined = Client | undefined> {
  request: FastifyRequest;
  /** Path parameters. */
  path: Record<string, string>;
  /** Body parameters (routes declared with `body`). */
  params: Record<string, unknown>;
  /** The authenticated client (api-key auth modes). */
  client: C;
}

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

export interface RouteSpec<A extends Auth> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  auth: A;
  /** Read parameters from the body, accepting at most this many. */
  body?: { maxParameters: number };
  /** Largest request body in bytes, when the route needs more than the 1 MB default. */
  bodyLimit?: number;
  handler(ctx: HandlerContext<ClientFor<A>>): Promise<Reply>;
}

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function adminTokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class Router {
  private readonly methodsByUrl = new Map<string, Set<string>>();

  private readonly app: FastifyInstance;
  private readonly deps: Deps;
  private readonly adminToken: string | undefined;

  constructor(app: FastifyInstance, deps: Deps, adminToken: string | undefined) {
    this.app = app;
    this.deps = deps;
    this.adminToken = adminToken;
  }

  route<A extends Auth>(spec: RouteSpec<A>): void {
    const methods = this.methodsByUrl.get(spec.url) ?? new Set();
    methods.add(spec.method);
    this.methodsByUrl.set(spec.url, methods);
    this.app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      handler: async (request, reply) => {
        const params = spec.body ? await readParams(request, spec.body.maxParameters) : {};
        const client = await this.authenticate(spec.auth, request, params);
        const path = request.params as Record<string, string>;
        const out = await spec.handler({ request, path, params, client: client as ClientFor<A> });
        reply.status(out.status ?? 200);
        if (out.headers) reply.headers(out.headers);
        if (out.contentType) reply.type(out.contentType);
        return reply.send(out.body);
      },
    });
  }

  private async authenticate(auth: Auth, request: FastifyRequest, params: Record<string, unknown>): Promise<Client | undefined> {
    switch (auth) {
      case 'none':
        return undefined;
      case 'admin': {
        const m = /^Bearer (.+)$/.exec(header(request, 'authorization') ?? '');
        if (!this.adminToken || !adminTokenMatches(m?.[1], this.adminToken)) {
          throw new AppError('AUTHENTICATION_CREDENTIALS_NOT_PROVIDED', MESSAGES.adminUnauthorized);
        }
        return undefined;
      }
      case 'api-key': {
        const fromBody = typeof params.api_key === 'string' ? params.api_key.trim() : undefined;
        return this.deps.clients.byApiKey(header(request, 'x-api-key') ?? fromBody);
      }
      case 'upload-api-key':
        return this.deps.clients.byApiKeyForUpload(header(request, 'x-api-key'));
      case 'api-key-and-server-hash':
        return this.deps.clients.byApiKeyAndServerHash(header(request, 'x-api-key'), header(request, 'server-hash'));
    }
  }

  /** Call after all routes: answers every undeclared method on a known path with 405. */
  finish(): void {
    for (const [url, declared] of this.methodsByUrl) {
      const others = ALL_METHODS.filter((m) => !declared.has(m) && !(m === 'HEAD' && declared.has('GET')));
      this.app.route({
        method: others,
        url,
        handler: async (request) => {
          throw new AppError('METHOD_NOT_ALLOWED', `Method "${request.method}" not allowed.`);
        },
      });
    }
  }
}
