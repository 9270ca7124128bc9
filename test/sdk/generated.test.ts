/**
 * What is generated from the OpenAPI document stays in step with it: the SDK's operation table
 * (packages/client/src/generated/operations.ts) and the Postman collection
 * (docs/postman/passbook.postman_collection.json) are made again, in memory, from the document
 * the routes give now, and must equal the checked-in files (`npm run generate` rewrites them).
 * The collection must also hold one request per operation, with the credentials it names.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { operations } from '@passbook/client';
import { GENERATED_CLIENT_FILE, generateClientOperations } from '../../scripts/build-client.ts';
import { POSTMAN_COLLECTION_FILE, postmanCollectionText } from '../../scripts/build-postman.ts';
import { openApiDocument } from '../../scripts/openapi-document.ts';

const document = await openApiDocument();
const documented = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, security: Object.keys(((op.security ?? []) as Record<string, unknown>[])[0] ?? {}) })),
);

test('the SDK was generated from the current document (npm run generate)', () => {
  assert.equal(readFileSync(GENERATED_CLIENT_FILE, 'utf8'), generateClientOperations(document), `${GENERATED_CLIENT_FILE} is out of date: run npm run generate`);
  // …and the built package (what an integration imports) is built from it.
  assert.deepEqual(Object.keys(operations).sort(), documented.map((o) => `${o.method} ${o.path}`).sort());
});

test('the Postman collection was generated from the current document (npm run generate)', () => {
  assert.equal(readFileSync(POSTMAN_COLLECTION_FILE, 'utf8'), postmanCollectionText(document), `${POSTMAN_COLLECTION_FILE} is out of date: run npm run generate`);
});

test('the Postman collection has one request per operation, with its credentials and variables', () => {
  const collection = JSON.parse(readFileSync(POSTMAN_COLLECTION_FILE, 'utf8'));
  assert.deepEqual(
    collection.variable.map((v: { key: string }) => v.key),
    ['baseUrl', 'apiKey', 'serverHash', 'adminToken', 'sessionId'],
  );
  const requests = collection.item.flatMap((folder: { item: { request: any }[] }) => folder.item.map((i) => i.request));
  const byOperation = new Map<string, any>();
  for (const r of requests) {
    const path = `/${r.url.path.join('/')}`.replace(/:(\w+)/g, '{$1}');
    const name = `${r.method} ${path}`;
    assert.ok(!byOperation.has(name), `${name} twice`);
    byOperation.set(name, r);
  }
  assert.deepEqual([...byOperation.keys()].sort(), documented.map((o) => `${o.method} ${o.path}`).sort());
  for (const op of documented) {
    const r = byOperation.get(`${op.method} ${op.path}`);
    assert.ok(r.url.raw.startsWith('{{baseUrl}}/'), r.url.raw);
    const headers = Object.fromEntries(r.header.map((h: { key: string; value: string }) => [h.key, h.value]));
    if (op.security.includes('apiKey')) assert.equal(headers['x-api-key'], '{{apiKey}}', `${op.method} ${op.path}`);
    if (op.security.includes('serverHash')) assert.equal(headers['server-hash'], '{{serverHash}}', `${op.method} ${op.path}`);
    if (op.security.includes('admin')) assert.equal(headers.Authorization, 'Bearer {{adminToken}}', `${op.method} ${op.path}`);
    for (const v of r.url.variable ?? []) if (v.key === 'session_id') assert.equal(v.value, '{{sessionId}}');
  }
});

test('the built SDK bundles for the browser with nothing of Node in it', async () => {
  const esbuild = await import('esbuild');
  const entry = fileURLToPath(new URL('../../packages/client/dist/index.js', import.meta.url));
  const out = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  assert.equal(out.errors.length, 0);
  const code = out.outputFiles[0]!.text;
  // The one mention of node:crypto is Node 18's WebCrypto fallback, behind a variable specifier.
  assert.doesNotMatch(code, /\brequire\(|from\s*["']node:|import\(\s*["']node:/);
  assert.ok(code.includes('crypto.subtle') || code.includes('.subtle'), 'WebCrypto is what it signs with');
});

test('the document names every operation once, states its security, and writes tuples as JSON Schema 2020-12 does', () => {
  const ops = Object.values(document.paths).flatMap((item) => Object.values(item));
  const ids = ops.map((op) => op.operationId);
  assert.ok(ids.every((id) => typeof id === 'string' && /^[a-z]+[A-Za-z0-9]*$/.test(id)), 'every operation has an operationId');
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  assert.ok(ops.every((op) => Array.isArray(op.security)), 'security is stated, [] for none');
  const text = JSON.stringify(document);
  assert.doesNotMatch(text, /"additionalItems"/);
  assert.match(text, /"prefixItems"/);
});
