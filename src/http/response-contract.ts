/**
 * What a route promises to answer: its success responses (a JSON schema, another media type,
 * or a redirect) and the error codes it may send in the error envelope. The router documents
 * it in /openapi.json; with `checkResponses` on (the tests), every response is checked
 * against it as it leaves, so the document cannot drift from what the code sends.
 */
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { ERROR_CODES, type ErrorCode } from '../errors/codes.ts';
import { ErrorEnvelope, type ErrorWire } from '../wire/error-wire.ts';

/** A success response as documented and checked; `headers` documents response headers (name → meaning). */
export type SuccessResponse = { description: string; headers?: Readonly<Record<string, string>> } & (
  /** JSON described by `json`; the handler's body is typed as its static type. */
  | { json: TSchema }
  /** Another media type (PDF, HTML, SVG, script, stylesheet): a string or bytes. */
  | { contentType: string }
  /** A redirect: an empty body and a `location` header. */
  | { redirect: true }
  /** No body at all (204). */
  | { empty: true }
);

export type SuccessResponses = Readonly<Record<number, SuccessResponse>>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every operation declared through `Router.route()`. */
    contract?: RouteContract;
    /** Set on the router's 405 catch-all routes. */
    methodNotAllowed?: boolean;
    /** A JSON body that does not parse reaches the handler as raw bytes (RouteSpec.rawInvalidJson). */
    rawInvalidJson?: boolean;
    /** The route renders its errors in this wire instead of the error envelope (RouteSpec.errorWire). */
    errorWire?: ErrorWire;
  }
}

let errorEnvelope: Validator | undefined;

export class RouteContract {
  readonly responses: SuccessResponses;
  readonly errorCodes: readonly ErrorCode[];
  private readonly validators = new Map<number, Validator>();
  /** Set when the route renders its errors in another wire (RouteSpec.errorWire). */
  readonly errorWire: ErrorWire | undefined;
  private errorWireValidator: Validator | undefined;

  constructor(responses: SuccessResponses, errorCodes: readonly ErrorCode[], errorWire?: ErrorWire) {
    this.responses = responses;
    this.errorCodes = errorCodes;
    this.errorWire = errorWire;
  }

  /** Why a response breaks the contract, or undefined when it keeps it. */
  problem(status: number, contentType: string | undefined, payload: unknown): string | undefined {
    const mediaType = contentType?.split(';')[0]?.trim();
    const declared = this.responses[status];
    if (declared === undefined) return status >= 400 ? this.errorProblem(status, mediaType, payload) : `status ${status} is not declared`;
    if ('redirect' in declared) return status >= 300 && status < 400 ? undefined : `status ${status} is declared as a redirect`;
    if ('empty' in declared) return payload === undefined || payload === null || payload === '' ? undefined : `status ${status} is declared without a body`;
    if ('contentType' in declared) {
      return mediaType === declared.contentType.split(';')[0] ? undefined : `content type ${mediaType} instead of ${declared.contentType}`;
    }
    if (mediaType !== 'application/json') return `content type ${mediaType} instead of application/json`;
    let validator = this.validators.get(status);
    if (!validator) {
      validator = Compile(declared.json);
      this.validators.set(status, validator);
    }
    return schemaProblem(validator, payload);
  }

  private errorProblem(status: number, mediaType: string | undefined, payload: unknown): string | undefined {
    if (mediaType !== 'application/json') return `error status ${status} with content type ${mediaType}`;
    // Another wire's bodies name no code to check against the table: their schema is the contract.
    if (this.errorWire) return schemaProblem((this.errorWireValidator ??= Compile(this.errorWire.schema)), payload);
    errorEnvelope ??= Compile(ErrorEnvelope);
    const problem = schemaProblem(errorEnvelope, payload);
    if (problem) return problem;
    const { code } = (JSON.parse(String(payload)) as ErrorEnvelope).error;
    if (ERROR_CODES[code].status !== status) return `${code} sent with status ${status}`;
    return this.errorCodes.includes(code) ? undefined : `error code ${code} is not declared`;
  }
}

function schemaProblem(validator: Validator, payload: unknown): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(String(payload));
  } catch {
    return 'the body is not JSON';
  }
  if (validator.Check(value)) return undefined;
  return validator
    .Errors(value)
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
}

export interface RegisteredRoute {
  method: string;
  url: string;
  contract: RouteContract | undefined;
  methodNotAllowed: boolean;
}

const inventories = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on `app` (with checkResponses on), for the tests that compare them with /openapi.json. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return inventories.get(app) ?? [];
}

/**
 * Records every route and checks every response against its route's contract. A response
 * that breaks it is logged and replaced by a 500, so the test that caused it fails.
 * Call before any route is registered.
 */
export function registerContractChecks(app: FastifyInstance): void {
  const inventory: RegisteredRoute[] = [];
  inventories.set(app, inventory);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      inventory.push({ method, url: route.url, contract: route.config?.contract, methodNotAllowed: route.config?.methodNotAllowed ?? false });
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const contract = request.routeOptions.config.contract;
    if (!contract) return payload;
    const contentType = reply.getHeader('content-type');
    const problem = contract.problem(reply.statusCode, typeof contentType === 'string' ? contentType : undefined, payload);
    if (problem === undefined) return payload;
    const where = `${request.method} ${request.routeOptions.url ?? request.url} answered ${reply.statusCode}`;
    request.log.error({ problem, body: String(payload).slice(0, 2000) }, `response breaks its declared contract: ${where}`);
    throw new Error(`Response breaks its declared contract (${where}): ${problem}`);
  });
}
