/**
 * Generates the SDK's operation table (packages/client/src/generated/operations.ts) from the
 * OpenAPI document the server publishes (scripts/openapi-document.ts): one TypeScript type per
 * operation (path, query and header parameters, request body, success body) and a small runtime
 * table (method, path, credentials, media types) that the client's one generic request function
 * reads. No request code is written per endpoint; a route added to the server reaches the SDK
 * by running this again (`npm run generate`). test/sdk/generated.test.ts fails while the file
 * is out of date.
 *
 * The document's schemas are TypeBox's JSON Schema: objects, arrays and tuples, unions
 * (anyOf/oneOf/allOf), enums and consts, nullable types and $refs to components.schemas; that
 * is what is translated, and anything else becomes `unknown`.
 *
 * `node --import tsx scripts/build-client.ts` writes the file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument, type OpenApiDocument } from './openapi-document.ts';

export const GENERATED_CLIENT_FILE = fileURLToPath(new URL('../packages/client/src/generated/operations.ts', import.meta.url));

type Schema = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** A JSDoc line, or nothing; `*\/` in a description must not end the comment early. */
function doc(text: unknown, indent: string): string {
  if (typeof text !== 'string' || text.trim() === '') return '';
  return `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n`;
}

function literal(value: unknown): string {
  return JSON.stringify(value);
}

/** Where a schema is used: a request's binary parts are Blobs (or text, for Base64 uploads). */
type Direction = 'request' | 'response';

export function tsType(schema: unknown, direction: Direction, indent = ''): string {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
    return m ? `Schemas[${literal(m[1])}]` : 'unknown';
  }
  if ('const' in s) return literal(s.const);
  if (Array.isArray(s.enum)) return s.enum.map(literal).join(' | ') || 'never';
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map((m) => paren(tsType(m, direction, indent))).join(' | ') || 'never';
  if (Array.isArray(s.allOf)) return s.allOf.map((m) => paren(tsType(m, direction, indent))).join(' & ') || 'unknown';
  if (Array.isArray(s.type)) return s.type.map((t: unknown) => paren(tsType({ ...s, type: t }, direction, indent))).join(' | ');
  switch (s.type) {
    case 'string':
      return s.format === 'binary' ? (direction === 'request' ? 'Blob | string' : 'Blob') : 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      if (Array.isArray(s.prefixItems)) return `[${s.prefixItems.map((m) => tsType(m, direction, indent)).join(', ')}]`;
      return `${paren(tsType(s.items, direction, indent))}[]`;
    case 'object':
      return objectType(s, direction, indent);
    default:
      return s.properties ? objectType(s, direction, indent) : 'unknown';
  }
}

function paren(type: string): string {
  return /[|&]/.test(type) && !/^[[{(]/.test(type) ? `(${type})` : type;
}

function objectType(s: Schema, direction: Direction, indent: string): string {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set((s.required ?? []) as string[]);
  const inner = `${indent}  `;
  const members = Object.entries(properties).map(
    ([name, value]) => `${doc((value as Schema).description, inner)}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${tsType(value, direction, inner)};\n`,
  );
  const patterns = Object.values((s.patternProperties ?? {}) as Record<string, unknown>);
  const extra = typeof s.additionalProperties === 'object' ? [s.additionalProperties, ...patterns] : patterns;
  const index = extra.length > 0 ? `{ [key: string]: ${extra.map((m) => paren(tsType(m, direction, inner))).join(' | ')} }` : undefined;
  if (members.length === 0) return index ?? (s.additionalProperties === false ? 'Record<string, never>' : 'Record<string, unknown>');
  const object = `{\n${members.join('')}${indent}}`;
  return index ? `${object} & ${index}` : object;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: unknown;
}

function parameterGroup(params: Parameter[], where: Parameter['in'], indent: string): { type: string; required: boolean } | undefined {
  const list = params.filter((p) => p.in === where);
  if (list.length === 0) return undefined;
  const inner = `${indent}  `;
  const members = list.map((p) => `${doc(p.description, inner)}${inner}${key(p.name)}${p.required || where === 'path' ? '' : '?'}: ${tsType(p.schema, 'request', inner)};\n`);
  return { type: `{\n${members.join('')}${indent}}`, required: list.some((p) => p.required || where === 'path') };
}

const TEXTUAL = /^text\/|xml|javascript|json/;

function responseKind(mediaType: string): 'json' | 'text' | 'binary' {
  return mediaType === 'application/json' ? 'json' : TEXTUAL.test(mediaType) ? 'text' : 'binary';
}

function successResponse(responses: Record<string, Schema>, indent: string): string {
  const types = new Set<string>();
  for (const [status, response] of Object.entries(responses)) {
    if (!/^2\d\d$/.test(status)) continue;
    const content = response.content as Record<string, Schema> | undefined;
    if (!content || Object.keys(content).length === 0) {
      types.add('undefined');
      continue;
    }
    for (const [mediaType, media] of Object.entries(content)) {
      const kind = responseKind(mediaType);
      types.add(kind === 'json' ? tsType(media.schema, 'response', indent) : kind === 'text' ? 'string' : 'Blob');
    }
  }
  // No 2xx at all (a redirect): nothing to read.
  return types.size === 0 ? 'undefined' : [...types].map(paren).join(' | ');
}

/** The generated module's text. */
export function generateClientOperations(document: OpenApiDocument): string {
  const schemas = ((document.components as Schema | undefined)?.schemas ?? {}) as Record<string, unknown>;
  const errorCodes = (((schemas.Error as Schema | undefined)?.properties as Schema | undefined)?.error as Schema | undefined)?.properties as Schema | undefined;
  const codes = ((errorCodes?.code as Schema | undefined)?.enum ?? []) as string[];

  const types: string[] = [];
  const table: string[] = [];
  for (const [pathName, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const name = `${method.toUpperCase()} ${pathName}`;
      const params = (op.parameters ?? []) as Parameter[];
      const parts: string[] = [];
      const ind = '      ';
      let requestRequired = false;
      for (const where of ['path', 'query', 'header'] as const) {
        const group = parameterGroup(params, where, ind);
        if (!group) continue;
        requestRequired ||= group.required;
        parts.push(`${ind}${where === 'header' ? 'headers' : where}${group.required ? '' : '?'}: ${group.type};\n`);
      }
      const requestBody = op.requestBody as Schema | undefined;
      const bodyContent = (requestBody?.content ?? {}) as Record<string, Schema>;
      const consumes = Object.keys(bodyContent);
      if (consumes.length > 0) {
        const bodyTypes = [...new Set(Object.values(bodyContent).map((m) => tsType(m.schema, 'request', ind)))];
        const required = requestBody?.required === true;
        requestRequired ||= required;
        parts.push(`${ind}body${required ? '' : '?'}: ${bodyTypes.map(paren).join(' | ')};\n`);
      }
      // Nothing to send: `Record<string, never>` rather than `{}`, which would accept any value.
      const request = parts.length > 0 ? `{\n${parts.join('')}    }` : 'Record<string, never>';
      const security = ((op.security ?? []) as Record<string, unknown>[])[0] ?? {};
      types.push(
        `${doc(op.summary, '  ')}  ${literal(name)}: {\n` +
          `    operationId: ${literal(op.operationId)};\n` +
          `    request: ${request};\n` +
          `    requestRequired: ${requestRequired};\n` +
          `    response: ${successResponse(op.responses as Record<string, Schema>, '    ')};\n` +
          `  };\n`,
      );
      table.push(
        `  ${literal(name)}: { method: ${literal(method.toUpperCase())}, path: ${literal(pathName)}, security: ${literal(Object.keys(security))}, consumes: ${literal(consumes)} },\n`,
      );
    }
  }

  const schemaMembers = Object.entries(schemas).map(([name, schema]) => `${doc((schema as Schema).description, '  ')}  ${key(name)}: ${tsType(schema, 'request', '  ')};\n`);
  const info = document.info as Schema;
  return (
    `// Generated by scripts/build-client.ts from the OpenAPI document of ${String(info.title)} ${String(info.version)}: do not edit.\n` +
    `// Run \`npm run generate\` after changing a route.\n\n` +
    `/** Every error code the server answers with (the \`code\` of its error envelope). */\n` +
    `export type ErrorCode = ${codes.map(literal).join(' | ') || 'string'};\n\n` +
    `/** The document's shared schemas (components.schemas). */\n` +
    `export interface Schemas {\n${schemaMembers.join('')}}\n\n` +
    `/** Every operation, by \`METHOD /path\`: its parameters and body, and what a success answers. */\n` +
    `export interface Operations {\n${types.join('')}}\n\n` +
    `export type OperationName = keyof Operations;\n\n` +
    `/** How to send each operation: the credentials it takes and the media types of its body. */\n` +
    `export interface OperationInfo {\n  method: string;\n  path: string;\n  /** Security schemes of the document: apiKey (x-api-key), serverHash (server-hash), admin (Bearer), consoleSignIn (cookie). */\n  security: readonly string[];\n  consumes: readonly string[];\n}\n\n` +
    `export const operations: { readonly [K in OperationName]: OperationInfo } = {\n${table.join('')}};\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = generateClientOperations(await openApiDocument());
  mkdirSync(path.dirname(GENERATED_CLIENT_FILE), { recursive: true });
  writeFileSync(GENERATED_CLIENT_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), GENERATED_CLIENT_FILE)} (${text.length} bytes)\n`);
}
