/**
 * /openapi.json against the routes the app really registers, and the response contract that
 * the tests check every answer against (checkResponses, on in test/helper.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { AppError, ERROR_CODES } from '../../src/errors/codes.ts';
import { registerErrorHandling } from '../../src/http/error-handler.ts';
import { registeredRoutes, registerContractChecks, RouteContract } from '../../src/http/response-contract.ts';
import { Router, useRouteSchemasAsDocumentation } from '../../src/http/route.ts';
import type { Deps } from '../../src/usecases/deps.ts';
import { body, buildTestApp, forEachStore } from '../helper.ts';

forEachStore((kind) => {
  test('every registered route is in openapi.json, with its success and error responses', async (t) => {
    // Demo and admin routes included: every optional route group registered.
    const app = await buildTestApp(t, kind, { demo: true, aaSandbox: true, publicUrl: 'https://pb.example.test/base' });
    const doc = body(await app.inject({ method: 'GET', url: '/openapi.json' }));
    assert.deepEqual(doc.servers, [{ url: 'https://pb.example.test/base' }]);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['admin', 'apiKey', 'consoleSignIn', 'serverHash']);

    const routes = registeredRoutes(app.app);
    const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
    // The sandbox AA mounted for development is another service's API (ReBIT's), not Passbook's.
    const operations = routes.filter((r) => !r.methodNotAllowed && !(r.method === 'HEAD' && gets.has(r.url)) && !r.url.startsWith('/aa-sandbox'));
    assert.ok(operations.length >= 35, `only ${operations.length} operations found`);

    const documented = new Set<string>();
    for (const route of operations) {
      const name = `${route.method} ${route.url}`;
      assert.ok(route.contract, `${name} is not declared through Router.route()`);
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation, `${name} is missing from openapi.json`);
      assert.ok(operation.summary, `${name} has no summary`);
      documented.add(`${route.method.toLowerCase()} ${path}`);

      const successes = Object.entries(route.contract.responses);
      assert.ok(successes.length > 0, `${name} declares no success response`);
      for (const [status, declared] of successes) {
        const response = operation.responses[status];
        assert.ok(response?.description, `${name} has no ${status} response`);
        if ('json' in declared) assert.equal(response.content['application/json'].schema.type, 'object', `${name} ${status} has no JSON schema`);
        if ('contentType' in declared) assert.ok(response.content[declared.contentType.split(';')[0]!], `${name} ${status} has no ${declared.contentType}`);
      }
      // Routes of the entity flow answer their errors in its own shapes (and some with other statuses).
      const wire = route.contract.errorWire;
      for (const code of route.contract.errorCodes) {
        const status = wire ? wire.render(new AppError(code)).status : ERROR_CODES[code].status;
        const response = operation.responses[String(status)];
        assert.ok(response, `${name} does not document ${code}`);
        assert.ok(response.description.split(', ').includes(code), `${name} ${status} does not name ${code}`);
        assert.equal(response.content['application/json'].schema.$ref, `#/components/schemas/${wire ? wire.schemaId : 'Error'}`);
      }
    }

    // …and nothing documented that is not served.
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(methods)) assert.ok(documented.has(`${method} ${path}`), `${method} ${path} is documented but not served`);
    }
  });
});

test('a response that breaks its declared contract becomes a 500 and an error in the log', async (t) => {
  const logs: string[] = [];
  const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => logs.push(line) } } });
  t.after(() => app.close());
  useRouteSchemasAsDocumentation(app);
  registerErrorHandling(app);
  registerContractChecks(app);
  const router = new Router(app, {} as Deps, undefined);
  const Answer = Type.Object({ count: Type.Integer() });
  let answer: { count: number } = { count: 1 };
  router.route({
    method: 'GET',
    url: '/answer',
    auth: 'none',
    summary: 'An answer',
    responses: { 200: { description: 'The answer', json: Answer } },
    async handler() {
      return { body: answer };
    },
  });
  router.finish();

  assert.equal((await app.inject({ method: 'GET', url: '/answer' })).statusCode, 200);
  answer = { count: 1.5 };
  const broken = await app.inject({ method: 'GET', url: '/answer' });
  assert.equal(broken.statusCode, 500);
  assert.equal(body(broken).error.code, 'INTERNAL_ERROR');
  assert.match(logs.join(''), /response breaks its declared contract: GET \/answer answered 200/);
  // The router's own 405 is not an operation of the route and is not checked against it.
  assert.equal((await app.inject({ method: 'POST', url: '/answer' })).statusCode, 405);
});

test('RouteContract: declared statuses, media types, error codes and statuses', () => {
  const contract = new RouteContract(
    {
      200: { description: 'JSON', json: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      201: { description: 'PDF', contentType: 'application/pdf' },
      303: { description: 'Away', redirect: true },
    },
    ['SESSION_NOT_FOUND', 'INVALID_REQUEST'],
  );
  const json = 'application/json; charset=utf-8';
  const error = (code: string) => JSON.stringify({ error: { code, message: 'm' } });
  assert.equal(contract.problem(200, json, '{"id":"6f1c2a8e-1d3b-4c5e-9f00-0123456789ab","extra":1}'), undefined);
  assert.match(contract.problem(200, json, '{"id":"not-a-uuid"}') ?? '', /\/id must match format "uuid"/);
  assert.match(contract.problem(200, 'text/html', '{}') ?? '', /content type text\/html/);
  assert.equal(contract.problem(201, 'application/pdf', Buffer.from('%PDF')), undefined);
  assert.equal(contract.problem(303, 'text/plain', ''), undefined);
  assert.match(contract.problem(202, json, '{}') ?? '', /status 202 is not declared/);
  assert.equal(contract.problem(404, json, error('SESSION_NOT_FOUND')), undefined);
  assert.equal(contract.problem(400, json, JSON.stringify({ session_id: 'x', error: { code: 'INVALID_REQUEST', message: 'm' } })), undefined);
  assert.match(contract.problem(410, json, error('SESSION_DELETED')) ?? '', /SESSION_DELETED is not declared/);
  assert.match(contract.problem(400, json, error('SESSION_NOT_FOUND')) ?? '', /SESSION_NOT_FOUND sent with status 400/);
  assert.match(contract.problem(400, json, '{"error":"x"}') ?? '', /\/error/);
});
