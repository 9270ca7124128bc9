/**
 * Every API route goes through `route()`. The wrapper owns authentication, body reading and
 * response rendering, so a handler only turns parameters into one use-case call. It also
 * records which methods each path has, so any other method gets 405 METHOD_NOT_ALLOWED.
 *
 * A route declares its contract: path, query and header schemas, the documented body, its
 * success responses and its error codes. The success schemas type what the handler may
 * answer; the whole declaration becomes the route's operation in /openapi.json and the
 * contract its responses are checked against in the tests (response-contract.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import type { Static, TObject, TSchema } from 'typebox';
import type { Client } from '../domain/client.ts';
import { authenticateConsole, csrfTokenMatches, type ConsoleSignIn } from '../usecases/console-sign-in.ts';
import type { Deps } from '../usecases/deps.ts';
import { AppError, ERROR_CODES, MESSAGES, type ErrorCode } from '../errors/codes.ts';
import { ERROR_SCHEMA_ID, ErrorEnvelope, type ErrorWire } from '../wire/error-wire.ts';
import { toJsonSchema, type Fields } from '../wire/fields.ts';
import { readParams } from './request-params.ts';
import { RouteContract, type SuccessResponse, type SuccessResponses } from './response-contract.ts';

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
  | 'admin'
  /** A console sign-in (cookie), any role; `x-csrf-token` on every method but GET. */
  | 'console'
  /** A console sign-in of an admin. */
  | 'console-admin';

type ConsoleAuth = 'console' | 'console-admin';

/** The auth modes that identify a client (and so a plan). */
type ClientAuth = 'api-key' | 'upload-api-key' | 'api-key-and-server-hash' | ConsoleAuth;

type ClientFor<A extends Auth> = A extends ClientAuth ? Client : undefined;
type SignInFor<A extends Auth> = A extends ConsoleAuth ? ConsoleSignIn : undefined;

/**
 * The expired-plan rule (docs/session-api.md, "Plans"): an expired plan may read and delete
 * what the client already has, so a lender can always take back and erase its data, but may
 * start nothing new. Every route that identifies a client must say which kind it is; it is
 * decided here, once, and not in the use cases.
 */
type PlanRule<A extends Auth> = A extends ClientAuth
  ? {
      /**
       * True: the route starts new work (a session, an upload, processing, a webhook change or
       * delivery, an AA fetch) and an expired plan is refused. False: it reads or deletes what
       * exists, and an expired plan may still call it.
       */
      startsWork: boolean;
    }
  : { startsWork?: never };

/**
 * How an expired plan is refused, per API family: BankConnect documents PAYMENT_REQUIRED for
 * the Session API and TRIAL_PERIOD_EXPIRED for the upload API (both 402); the data APIs answer
 * as the Session API does.
 */
const PLAN_EXPIRED: Record<ClientAuth, ErrorCode> = {
  'api-key': 'PAYMENT_REQUIRED',
  'upload-api-key': 'TRIAL_PERIOD_EXPIRED',
  'api-key-and-server-hash': 'PAYMENT_REQUIRED',
  console: 'PAYMENT_REQUIRED',
  'console-admin': 'PAYMENT_REQUIRED',
};

export interface HandlerContext<C extends Client | undefined = Client | undefined, P = Record<string, string>, S extends ConsoleSignIn | undefined = ConsoleSignIn | undefined> {
  request: FastifyRequest;
  /** Path parameters, as the route's `params` schema names them (always strings). */
  path: P;
  /** Body parameters (routes declared with `body`). */
  params: Record<string, unknown>;
  /** The authenticated client (api-key and console auth modes). */
  client: C;
  /** The console sign-in (console auth modes): the user, and the token to sign out. */
  signIn: S;
}

export interface Reply<B = unknown> {
  status?: number;
  body: B;
  headers?: Record<string, string>;
  contentType?: string;
}

/**
 * What a handler may answer: the static type of one of the route's declared JSON responses,
 * or text or bytes for the others. (Inline bodies lose their literal types to this generic
 * context, so literal-valued bodies come from typed renderers in wire/ or use `as const`.)
 */
type BodyOf<R> = R extends { json: infer S extends TSchema } ? Static<S> : R extends { empty: true } ? '' : string | Buffer;

/** How the request body is documented; the handler still reads and validates it itself. */
export interface RequestBodyDoc {
  /** Media types the route reads. */
  consumes: readonly string[];
  /** The fields the handler validates with `validateFields`. */
  fields: Fields;
  /** Published once under this name in components.schemas, and referenced from the operation. */
  component?: string;
  /** Parts the field definitions do not cover (an upload's file and password). */
  extra?: Record<string, TSchema>;
}

export interface RouteSpec<A extends Auth, R extends SuccessResponses, P extends TObject> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  auth: A;
  /** Read parameters from the body, accepting at most this many. */
  body?: { maxParameters: number };
  /** Largest request body in bytes, when the route needs more than the 1 MB default. */
  bodyLimit?: number;
  /**
   * Hand a JSON body that does not parse to the handler as raw bytes (`rawBodyOf`, `request.body`
   * undefined) instead of refusing it: for routes that must answer in another wire format (the
   * AA's notifications, which are refused in ReBIT's shape).
   */
  rawInvalidJson?: boolean;
  /**
   * Never waits behind other requests for admission (src/http/admission.ts): for a check that
   * must answer while the server works through a burst (/healthz).
   */
  unqueued?: boolean;
  /** One line for the OpenAPI operation. */
  summary: string;
  description?: string;
  /** Path parameters. */
  params?: P;
  querystring?: TObject;
  /** Request headers the route reads besides the credentials. */
  headers?: TObject;
  requestBody?: RequestBodyDoc;
  /** Success responses by status; the handler's body is typed from them. */
  responses: R;
  /**
   * Error codes the handler and its use cases answer with. Those of authentication, body
   * parsing, 405 and 500 are added by the router.
   */
  errors?: readonly ErrorCode[];
  /** Renders this route's errors in another API family's shapes (the entity flow's) instead of the error envelope. */
  errorWire?: ErrorWire;
  handler(ctx: HandlerContext<ClientFor<A>, Static<NoInfer<P>>, SignInFor<A>>): Promise<Reply<NoInfer<BodyOf<R[keyof R]>>>>;
}

/** Errors the router itself answers with, before or around the handler. */
const AUTH_ERRORS: Record<Auth, ErrorCode[]> = {
  none: [],
  'api-key': ['AUTHENTICATION_CREDENTIALS_NOT_PROVIDED'],
  'upload-api-key': ['ACCESS_DENIED'],
  'api-key-and-server-hash': ['ACCESS_DENIED'],
  admin: ['AUTHENTICATION_CREDENTIALS_NOT_PROVIDED'],
  console: ['CONSOLE_SIGN_IN_REQUIRED', 'CSRF_TOKEN_INVALID'],
  'console-admin': ['CONSOLE_SIGN_IN_REQUIRED', 'CSRF_TOKEN_INVALID', 'CONSOLE_ROLE_FORBIDDEN'],
};
/** Fastify parses a body sent with any of these methods, whether or not the route reads it. */
const BODY_PARSING_ERRORS: ErrorCode[] = ['INVALID_REQUEST', 'INVALID_PARAMETER_COUNT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
/** Every path answers other methods with 405, and anything unexpected is a 500. */
const ALWAYS: ErrorCode[] = ['METHOD_NOT_ALLOWED', 'INTERNAL_ERROR'];

/** `none` is written out (`security: []`) so that the document says so rather than leaving it unsaid. */
const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  none: [],
  'api-key': [{ apiKey: [] }],
  'upload-api-key': [{ apiKey: [] }],
  'api-key-and-server-hash': [{ apiKey: [], serverHash: [] }],
  admin: [{ admin: [] }],
  console: [{ consoleSignIn: [] }],
  'console-admin': [{ consoleSignIn: [] }],
};

/** The shared schema of the error envelope, registered by `useRouteSchemasAsDocumentation`. */
const ERROR_REF = { $ref: `${ERROR_SCHEMA_ID}#` };

/**
 * Route schemas are documentation (and the tests' response contract), never enforced by
 * Fastify: request bodies are validated by wire/fields.ts, whose DRF-style messages the
 * Session API needs exactly, and ajv would coerce or refuse parameters before it. Responses
 * are serialized with JSON.stringify as they always were: fast-json-stringify would drop keys
 * a schema leaves open and coerce values, changing the bytes on the wire.
 * Call before any route is registered.
 */
export function useRouteSchemasAsDocumentation(app: FastifyInstance): void {
  app.setValidatorCompiler(() => (value: unknown) => ({ value }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addSchema(ErrorEnvelope);
}

function isTextual(contentType: string): boolean {
  return /^text\/|xml|javascript|json/.test(contentType);
}

function documentedResponse(response: SuccessResponse): Record<string, unknown> {
  const named = { ...('redirect' in response ? { location: 'Where to go next.' } : {}), ...response.headers };
  const headers = Object.keys(named).length > 0 ? { headers: Object.fromEntries(Object.entries(named).map(([name, description]) => [name, { type: 'string', description }])) } : {};
  if ('json' in response) return { description: response.description, ...headers, content: { 'application/json': { schema: response.json } } };
  if ('contentType' in response) {
    const schema = isTextual(response.contentType) ? { type: 'string' } : { type: 'string', format: 'binary' };
    return { description: response.description, ...headers, content: { [response.contentType.split(';')[0]!]: { schema } } };
  }
  // No body (swagger reads `type: 'null'` as a response without content).
  return { description: response.description, ...headers, type: 'null' };
}

function errorResponses(codes: readonly ErrorCode[], wire: ErrorWire | undefined): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = wire ? wire.render(new AppError(code)).status : ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const schema = wire ? { $ref: `${wire.schemaId}#` } : ERROR_REF;
  return Object.fromEntries([...byStatus].map(([status, list]) => [status, { description: list.join(', '), content: { 'application/json': { schema } } }]));
}

/**
 * The operation's name in /openapi.json, which the SDK and the Postman collection are generated
 * from: the method and the path's words in camel case, path parameters included
 * (`GET /bank-connect/v1/session_data/:session_id/insights/` → getBankConnectV1SessionDataSessionIdInsights).
 * Derived, not declared, so it is unique as long as method and path are.
 */
export function operationId(method: string, url: string): string {
  const words = url.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
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

/** Who the headers say the request is from, decided before its body was read. */
interface Caller {
  client: Client | undefined;
  signIn: ConsoleSignIn | undefined;
}
const authenticated = new WeakMap<FastifyRequest, Caller>();

export const CONSOLE_COOKIE = 'passbook_console';

/** The value of one cookie of the request (no decoding: the console's token is base64url). */
function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** Whether `auth` is decided by headers alone: always, but for an `api-key` route given no x-api-key header. */
function credentialsInHeaders(auth: Auth, request: FastifyRequest): boolean {
  return auth !== 'none' && (auth !== 'api-key' || header(request, 'x-api-key') !== undefined);
}

export class Router {
  private readonly methodsByUrl = new Map<string, Set<string>>();
  /** The error wire of the paths whose routes declare one, for their 405s. */
  private readonly errorWireByUrl = new Map<string, ErrorWire>();

  private readonly app: FastifyInstance;
  private readonly deps: Deps;
  private readonly adminToken: string | undefined;

  constructor(app: FastifyInstance, deps: Deps, adminToken: string | undefined) {
    this.app = app;
    this.deps = deps;
    this.adminToken = adminToken;
  }

  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a route without path parameters
  route<A extends Auth, R extends SuccessResponses, P extends TObject = TObject<{}>>(spec: RouteSpec<A, R, P> & PlanRule<A>): void {
    const methods = this.methodsByUrl.get(spec.url) ?? new Set();
    methods.add(spec.method);
    this.methodsByUrl.set(spec.url, methods);
    if (spec.errorWire) {
      this.errorWireByUrl.set(spec.url, spec.errorWire);
      // Published once under its $id in components.schemas, as the error envelope is.
      const { schemaId, schema } = spec.errorWire;
      if (!this.publishedBodies.has(schemaId)) {
        this.app.addSchema({ ...schema, $id: schemaId });
        this.publishedBodies.add(schemaId);
      }
    }
    const auth: Auth = spec.auth;
    const planExpired = spec.startsWork && auth !== 'none' && auth !== 'admin' ? PLAN_EXPIRED[auth] : undefined;
    const errors = [
      ...new Set([
        ...AUTH_ERRORS[spec.auth],
        ...(planExpired ? [planExpired] : []),
        ...(spec.method === 'GET' ? [] : BODY_PARSING_ERRORS),
        ...(spec.errors ?? []),
        ...ALWAYS,
      ]),
    ];
    this.app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      schema: {
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        operationId: operationId(spec.method, spec.url),
        security: SECURITY[spec.auth],
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.querystring ? { querystring: spec.querystring } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
        ...(spec.requestBody ? { consumes: [...spec.requestBody.consumes], body: this.bodySchema(spec.requestBody) } : {}),
        response: {
          ...Object.fromEntries(Object.entries(spec.responses).map(([status, r]) => [status, documentedResponse(r)])),
          ...errorResponses(errors, spec.errorWire),
        },
      },
      config: { contract: new RouteContract(spec.responses, errors, spec.errorWire), ...(spec.errorWire ? { errorWire: spec.errorWire } : {}), ...(spec.rawInvalidJson ? { rawInvalidJson: true } : {}), ...(spec.unqueued ? { unqueued: true } : {}) },
      // Credentials in headers are checked before the body is read (onRequest runs before any
      // body parser): a caller without them must not get to make the server read, parse and
      // buffer a body. Only session creation's api_key may come in the body itself.
      ...(spec.auth === 'none'
        ? {}
        : {
            onRequest: async (request: FastifyRequest) => {
              if (!credentialsInHeaders(spec.auth, request)) return;
              authenticated.set(request, await this.authenticate(spec.auth, request, {}));
            },
          }),
      handler: async (request, reply) => {
        const params = spec.body ? await readParams(request, spec.body.maxParameters) : {};
        const { client, signIn } = authenticated.get(request) ?? (await this.authenticate(spec.auth, request, params));
        if (planExpired && client?.planStatus === 'expired') throw new AppError(planExpired);
        // Fastify matched the route's path parameters, which are the ones `spec.params` names.
        const path = request.params as Static<P>;
        const out = await spec.handler({ request, path, params, client: client as ClientFor<A>, signIn: signIn as SignInFor<A> });
        reply.status(out.status ?? 200);
        if (out.headers) reply.headers(out.headers);
        if (out.contentType) reply.type(out.contentType);
        return reply.send(out.body);
      },
    });
  }

  private readonly publishedBodies = new Set<string>();

  private bodySchema(doc: RequestBodyDoc): Record<string, unknown> {
    const schema = toJsonSchema(doc.fields);
    if (doc.extra) schema.properties = { ...(schema.properties as Record<string, unknown>), ...doc.extra };
    if (!doc.component) return schema;
    if (!this.publishedBodies.has(doc.component)) {
      this.app.addSchema({ $id: doc.component, ...schema });
      this.publishedBodies.add(doc.component);
    }
    return { $ref: `${doc.component}#` };
  }

  private async authenticate(auth: Auth, request: FastifyRequest, params: Record<string, unknown>): Promise<Caller> {
    const byClient = (client: Client) => ({ client, signIn: undefined });
    switch (auth) {
      case 'none':
        return { client: undefined, signIn: undefined };
      case 'admin': {
        const m = /^Bearer (.+)$/.exec(header(request, 'authorization') ?? '');
        if (!this.adminToken || !adminTokenMatches(m?.[1], this.adminToken)) {
          throw new AppError('AUTHENTICATION_CREDENTIALS_NOT_PROVIDED', MESSAGES.adminUnauthorized);
        }
        return { client: undefined, signIn: undefined };
      }
      case 'api-key': {
        const fromBody = typeof params.api_key === 'string' ? params.api_key.trim() : undefined;
        return byClient(await this.deps.clients.byApiKey(header(request, 'x-api-key') ?? fromBody));
      }
      case 'upload-api-key':
        return byClient(await this.deps.clients.byApiKeyForUpload(header(request, 'x-api-key')));
      case 'api-key-and-server-hash':
        return byClient(await this.deps.clients.byApiKeyAndServerHash(header(request, 'x-api-key'), header(request, 'server-hash')));
      case 'console':
      case 'console-admin': {
        const signIn = await authenticateConsole(this.deps, cookie(request, CONSOLE_COOKIE));
        // The cookie is SameSite=Strict, and a change also needs the token only the console's own page was given.
        if (request.method !== 'GET' && request.method !== 'HEAD' && !csrfTokenMatches(signIn, header(request, 'x-csrf-token'))) {
          throw new AppError('CSRF_TOKEN_INVALID');
        }
        if (auth === 'console-admin' && signIn.user.role !== 'admin') throw new AppError('CONSOLE_ROLE_FORBIDDEN');
        return { client: signIn.client, signIn };
      }
    }
  }

  /** Call after all routes: answers every undeclared method on a known path with 405. */
  finish(): void {
    for (const [url, declared] of this.methodsByUrl) {
      const others = ALL_METHODS.filter((m) => !declared.has(m) && !(m === 'HEAD' && declared.has('GET')));
      this.app.route({
        method: others,
        url,
        // Not an operation of its own: each documented operation lists 405 among its answers.
        schema: { hide: true },
        config: { methodNotAllowed: true, ...(this.errorWireByUrl.has(url) ? { errorWire: this.errorWireByUrl.get(url)! } : {}) },
        handler: async (request) => {
          throw new AppError('METHOD_NOT_ALLOWED', `Method "${request.method}" not allowed.`);
        },
      });
    }
  }
}
