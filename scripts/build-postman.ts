/**
 * Generates the Postman collection (docs/postman/passbook.postman_collection.json, Postman's
 * collection format v2.1) from the OpenAPI document the server publishes
 * (scripts/openapi-document.ts): one request per operation, in folders by API, with the
 * credentials each operation's security names and an example body built from its schema.
 * Checked in, so it can be imported without building anything; test/sdk/postman.test.ts fails
 * while it is out of date or misses an operation. `npm run generate` rewrites it.
 *
 * Collection variables: baseUrl (default http://localhost:8080), apiKey, serverHash,
 * adminToken, and sessionId, which every `{session_id}` path parameter uses.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_SERVER_URL, openApiDocument, type OpenApiDocument } from './openapi-document.ts';

export const POSTMAN_COLLECTION_FILE = fileURLToPath(new URL('../docs/postman/passbook.postman_collection.json', import.meta.url));

type Schema = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Header per security scheme of the document; the console's cookie comes from signing in, not a variable. */
const SECURITY_HEADERS: Record<string, { key: string; value: string }> = {
  apiKey: { key: 'x-api-key', value: '{{apiKey}}' },
  serverHash: { key: 'server-hash', value: '{{serverHash}}' },
  admin: { key: 'Authorization', value: 'Bearer {{adminToken}}' },
};

/** Path parameters with a collection variable to stand for them. */
const PATH_VARIABLES: Record<string, string> = { session_id: '{{sessionId}}' };

function resolve(document: OpenApiDocument, schema: unknown): Schema {
  const s = (schema ?? {}) as Schema;
  const m = typeof s.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(s.$ref) : null;
  if (!m) return s;
  return resolve(document, ((document.components as Schema).schemas as Schema)[m[1]!]);
}

/** A value for a field: the schema's own example or default, else the first choice, else an empty one of its type. */
export function exampleValue(document: OpenApiDocument, schema: unknown, depth = 0): unknown {
  const s = resolve(document, schema);
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if ('example' in s) return s.example;
  if ('default' in s) return s.default;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return exampleValue(document, union.find((m) => (m as Schema).type !== 'null') ?? union[0], depth);
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') as string | undefined) : (s.type as string | undefined);
  switch (type) {
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      if (depth > 3) return {};
      const required = new Set((s.required ?? []) as string[]);
      const props = Object.entries((s.properties ?? {}) as Record<string, unknown>).filter(([name]) => required.has(name));
      return Object.fromEntries(props.map(([name, value]) => [name, exampleValue(document, value, depth + 1)]));
    }
    default:
      return '';
  }
}

/** A value as form text: objects (metadata) as JSON, as the server reads form bodies. */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface PostmanItem {
  name: string;
  request: Record<string, unknown>;
}

function request(document: OpenApiDocument, pathName: string, method: string, op: Schema): PostmanItem {
  const params = (op.parameters ?? []) as { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  const segments = pathName.split('/').filter((s, i, all) => s !== '' || i === all.length - 1);
  const postmanPath = segments.map((s) => s.replace(/\{(\w+)\}/g, ':$1'));
  const security = ((op.security ?? []) as Record<string, unknown>[])[0] ?? {};
  const header: Record<string, unknown>[] = Object.keys(security).flatMap((scheme) => (SECURITY_HEADERS[scheme] ? [{ ...SECURITY_HEADERS[scheme] }] : []));
  for (const p of params.filter((p) => p.in === 'header')) {
    header.push({ key: p.name, value: '', ...(p.required ? {} : { disabled: true }), ...(p.description ? { description: p.description } : {}) });
  }
  const query = params
    .filter((p) => p.in === 'query')
    .map((p) => ({ key: p.name, value: text(exampleValue(document, p.schema)), ...(p.required ? {} : { disabled: true }), ...(p.description ? { description: p.description } : {}) }));
  const variable = params
    .filter((p) => p.in === 'path')
    .map((p) => ({ key: p.name, value: PATH_VARIABLES[p.name] ?? '', ...(p.description ? { description: p.description } : {}) }));
  const enabledQuery = query.filter((q) => !('disabled' in q));
  const raw = `{{baseUrl}}${postmanPath.length ? '/' : ''}${postmanPath.join('/')}${enabledQuery.length ? `?${enabledQuery.map((q) => `${q.key}=${q.value}`).join('&')}` : ''}`;

  let body: Record<string, unknown> | undefined;
  const content = ((op.requestBody as Schema | undefined)?.content ?? {}) as Record<string, Schema>;
  if (content['application/json']) {
    header.push({ key: 'Content-Type', value: 'application/json' });
    body = { mode: 'raw', raw: JSON.stringify(exampleValue(document, content['application/json'].schema), null, 2), options: { raw: { language: 'json' } } };
  } else if (content['multipart/form-data'] || content['application/x-www-form-urlencoded']) {
    const multipart = Boolean(content['multipart/form-data']);
    const schema = resolve(document, (content['multipart/form-data'] ?? content['application/x-www-form-urlencoded'])!.schema);
    const required = new Set((schema.required ?? []) as string[]);
    const fields = Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([key, field]) => {
      const file = multipart && field.format === 'binary';
      const value = exampleValue(document, field);
      return {
        key,
        ...(file ? { type: 'file', src: '' } : { type: 'text', value: text(value) }),
        ...(required.has(key) || file ? {} : { disabled: true }),
        ...(field.description ? { description: text(field.description) } : {}),
      };
    });
    body = multipart ? { mode: 'formdata', formdata: fields } : { mode: 'urlencoded', urlencoded: fields };
  }

  return {
    name: op.summary ? text(op.summary) : `${method.toUpperCase()} ${pathName}`,
    request: {
      method: method.toUpperCase(),
      header,
      ...(body ? { body } : {}),
      url: { raw, host: ['{{baseUrl}}'], path: postmanPath, ...(query.length ? { query } : {}), ...(variable.length ? { variable } : {}) },
      description: [op.description, `\`${method.toUpperCase()} ${pathName}\` (operationId ${String(op.operationId)})`].filter(Boolean).join('\n\n'),
    },
  };
}

/** The folder an operation goes in: BankConnect's APIs by their resource, the rest by their first segment. */
function folderOf(pathName: string): string {
  const segments = pathName.split('/').filter(Boolean);
  if (segments[0] === 'bank-connect') return `BankConnect ${segments[1]} ${segments[2]}`;
  if (segments[0] === 'admin' || segments[0] === 'aa') return segments[0] === 'admin' ? 'Admin' : 'Account Aggregator notifications';
  if (segments[0] === 'console') return 'Console';
  if (segments[0] === 'journey' || segments.length === 0 || segments[0] === 'favicon.ico') return 'Hosted journey';
  return 'Service';
}

export function postmanCollection(document: OpenApiDocument): Record<string, unknown> {
  const folders = new Map<string, PostmanItem[]>();
  for (const [pathName, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const folder = folderOf(pathName);
      folders.set(folder, [...(folders.get(folder) ?? []), request(document, pathName, method, op)]);
    }
  }
  const info = document.info as Schema;
  return {
    info: {
      name: String(info.title),
      description:
        `${String(info.description)}\n\nGenerated from the server's OpenAPI document (${String(info.version)}) by scripts/build-postman.ts. ` +
        'Set the collection variables: baseUrl, apiKey and serverHash (a client\'s credentials: `npx passbook clients create`), adminToken (ADMIN_TOKEN, for the admin API), sessionId (a session created with "Create a session"). ' +
        'The console API needs the cookie that POST /console/api/sign-in sets, and x-csrf-token on changes.',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    variable: [
      { key: 'baseUrl', value: DOCUMENT_SERVER_URL },
      { key: 'apiKey', value: '' },
      { key: 'serverHash', value: '' },
      { key: 'adminToken', value: '' },
      { key: 'sessionId', value: '' },
    ],
    item: [...folders].map(([name, item]) => ({ name, item })),
  };
}

export function postmanCollectionText(document: OpenApiDocument): string {
  return `${JSON.stringify(postmanCollection(document), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = postmanCollectionText(await openApiDocument());
  mkdirSync(path.dirname(POSTMAN_COLLECTION_FILE), { recursive: true });
  writeFileSync(POSTMAN_COLLECTION_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), POSTMAN_COLLECTION_FILE)} (${text.length} bytes)\n`);
}
