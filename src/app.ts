/**
 * Builds the HTTP application from its dependencies. No I/O happens here; `main.ts` opens the
 * store and listens, tests call `buildApp` and drive it with `inject()`.
 */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import type { Deps } from './usecases/deps.ts';
import { clientErrorHandler, registerErrorHandling, sendError, toAppError } from './http/error-handler.ts';
import { openApiRoutes, registerOpenApi } from './http/openapi.ts';
import { BODY_LIMIT_BYTES, registerBodyParsers } from './http/request-params.ts';
import { registerContractChecks } from './http/response-contract.ts';
import { Router, useRouteSchemasAsDocumentation } from './http/route.ts';
import { registerSecurityHeaders, setSecurityHeaders } from './http/security-headers.ts';
import { adminClientRoutes } from './http/routes/admin-clients.ts';
import { adminSessionRoutes } from './http/routes/admin-sessions.ts';
import { bankRoutes } from './http/routes/banks.ts';
import { healthRoutes } from './http/routes/health.ts';
import { sessionDataRoutes } from './http/routes/session-data.ts';
import { webhookRoutes } from './http/routes/webhooks.ts';
import { sessionRoutes } from './http/routes/session.ts';
import { statementUploadRoutes } from './http/routes/statement-upload.ts';
import { journeyApiRoutes } from './http/routes/journey-api.ts';
import { journeyPageRoutes } from './http/routes/journey-page.ts';
import { demoRoutes } from './http/routes/demo.ts';
import { accountAggregatorRoutes } from './http/routes/account-aggregator.ts';
import type { AaSandbox } from './aa/sandbox/aa-sandbox.ts';
import { AA_SANDBOX_PREFIX } from './compose-aa.ts';
import { registerAdmission } from './http/admission.ts';
import { consoleApiRoutes } from './http/routes/console-api.ts';
import { consoleDataRoutes } from './http/routes/console-data-api.ts';
import { consoleSettingsRoutes } from './http/routes/console-settings-api.ts';
import { consolePageRoutes } from './http/routes/console-page.ts';
import { adminConsoleUserRoutes } from './http/routes/admin-console-users.ts';
import { hasBody } from './http/request-body.ts';
import { entityRoutes } from './http/routes/entity.ts';
import { entityUploadRoutes } from './http/routes/entity-upload.ts';
import { entityDataRoutes } from './http/routes/entity-data.ts';

export interface AppOptions {
  deps: Deps;
  config: Pick<Config, 'adminToken' | 'logLevel' | 'publicUrl' | 'demo' | 'http'>;
  /** Where JSON log lines go (default stdout). */
  logStream?: { write(line: string): unknown };
  /**
   * Check every response against its route's declared schema and answer 500 when it does
   * not match (the tests turn it on; see http/response-contract.ts).
   */
  checkResponses?: boolean;
  /** The development AA and FIP, served under /aa-sandbox (compose.ts decides when). */
  aaSandbox?: AaSandbox | null;
}

/** Never logged, whatever a future log statement includes. */
const REDACT = [
  'req.headers["x-api-key"]',
  'req.headers["server-hash"]',
  'req.headers.authorization',
  '*.api_key',
  '*.server_hash',
  '*.mobile_number',
  '*.pdf_password',
];

/**
 * One line per request: what was asked (the path without its query, which may carry a signed
 * link's signature), the answer's status and how long it took.
 */
function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ method: request.method, path: pathOf(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
}

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { deps, config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    genReqId: () => randomUUID(),
    // Fastify's own two lines per request (each serializing the request and its headers through
    // the wildcard redaction) cost a quarter of the throughput under load; logRequest writes one
    // lean line instead.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
    // Errors the router raises before any route runs (bad percent-encoding, over-long path
    // segments) get the same envelope as everything else.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(reply);
      sendError(reply, toAppError(error, request));
      // No hook runs for a request the router refused.
      logRequest(request, reply);
    },
    // Fastify turns Node's request timeout off by default: a trickled body held its connection
    // for as long as the client liked. Fastify sets requestTimeout on the server it creates;
    // Node's constructor also wants it, to check headersTimeout against it. Node looks for late
    // requests every connectionsCheckingInterval (30 s by default, coarser than the timeouts).
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    http: {
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: config.http.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.http.headersTimeoutMs),
    },
    // Requests the server refuses before any route (a timeout, headers too large) still get the envelope.
    clientErrorHandler,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // At LOG_LEVEL=debug a request is also logged as it arrives (one still in flight shows).
    request.log.debug({ method: request.method, path: pathOf(request) }, 'incoming request');
  });
  app.addHook('onResponse', async (request, reply) => logRequest(request, reply));
  registerAdmission(app, config.http.maxActiveRequests);
  // Once closing (SIGTERM), answers to requests in flight close their connection: a client's
  // keep-alive connection would otherwise hold the shutdown until its idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A body left unread (refused before it was read, or cut off at a limit) closes its
  // connection too: reading the rest only to throw it away is what the refusal avoids, and the
  // next request could not be read before it. (`complete` is undefined under inject().)
  app.addHook('onSend', async (request, reply) => {
    if (closing || (hasBody(request) && request.raw.complete === false)) reply.header('connection', 'close');
  });
  registerSecurityHeaders(app);
  useRouteSchemasAsDocumentation(app);
  if (options.checkResponses) registerContractChecks(app);

  registerErrorHandling(app);
  registerBodyParsers(app);
  await app.register(multipart, { limits: { fieldSize: BODY_LIMIT_BYTES, fields: 100, files: 1, parts: 101 } });

  await registerOpenApi(app, config.publicUrl);

  const router = new Router(app, deps, config.adminToken);
  healthRoutes(router, deps);
  openApiRoutes(router, app);
  sessionRoutes(router, deps);
  sessionDataRoutes(router, deps);
  webhookRoutes(router, deps);
  bankRoutes(router, deps);
  statementUploadRoutes(router, deps);
  entityRoutes(router, deps);
  entityUploadRoutes(router, deps);
  entityDataRoutes(router, deps);
  journeyApiRoutes(router, deps);
  journeyPageRoutes(router, deps);
  // The demo creates clients and sessions for anyone who can reach it: local setups only.
  if (config.demo) demoRoutes(router, deps);
  if (deps.aa) accountAggregatorRoutes(router, { ...deps, aa: deps.aa });
  consoleApiRoutes(router, deps);
  consoleDataRoutes(router, deps);
  consoleSettingsRoutes(router, deps);
  consolePageRoutes(router, deps);
  if (config.adminToken) {
    adminClientRoutes(router, deps);
    adminSessionRoutes(router, deps);
    adminConsoleUserRoutes(router, deps);
  }
  router.finish();
  // Another service's API (the AA's), mounted for development: outside Passbook's router and its OpenAPI document.
  const sandbox = options.aaSandbox;
  if (sandbox) {
    await app.register(
      async (scope) => {
        scope.addHook('onRoute', (route) => {
          route.schema = { ...route.schema, hide: true };
        });
        await scope.register(sandbox.plugin);
      },
      { prefix: AA_SANDBOX_PREFIX },
    );
  }
  return app;
}
