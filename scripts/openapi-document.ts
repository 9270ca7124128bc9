/**
 * The OpenAPI document the server publishes at /openapi.json, built without a server or a store:
 * the app is composed as the server composes it (src/compose.ts, src/app.ts), with stand-ins for
 * the store, the blob store and the parser that fail if anything touches them (registering
 * routes never does). The SDK (scripts/build-client.ts), the Postman collection and
 * `npm run lint:openapi` are all made from this one document.
 *
 * Which document: every optional route group a production server can have (the admin API, with
 * ADMIN_TOKEN; Account Aggregator mode) and not the newcomer demo, which exists only on a local
 * setup. `servers` names the URL `npm start` serves on.
 *
 * `node --import tsx scripts/openapi-document.ts [file]` writes it to the file, or to stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.ts';
import { compose } from '../src/compose.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { BlobStore } from '../src/ports/blob-store.ts';
import type { Db } from '../src/ports/db.ts';
import type { StatementParser } from '../src/ports/statement-parser.ts';

export const DOCUMENT_SERVER_URL = 'http://localhost:8080';

/** An object any use of which is a bug in this script: routes are registered, never called. */
function unused<T extends object>(name: string, known: Partial<T> = {}): T {
  return new Proxy(known as T, {
    get(target, property) {
      if (property in target) return target[property as keyof T];
      // `then`: the proxy is awaited nowhere, but a Promise-like check must not call it.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new Error(`openapi-document: the ${name} was used (.${String(property)}) while only registering routes`);
    },
  });
}

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };

export async function openApiDocument(): Promise<OpenApiDocument> {
  const defaults = loadConfig({});
  const config: Config = {
    ...defaults,
    publicUrl: DOCUMENT_SERVER_URL,
    adminToken: 'openapi-document-admin-token',
    demo: false,
    aa: { kind: 'sandbox' },
    logLevel: 'silent',
  };
  const composition = await compose(config, {
    db: unused<Db>('store', { kind: 'pglite' }),
    blobs: unused<BlobStore>('blob store'),
    parser: unused<StatementParser>('parser'),
    aaSandbox: { keepKeys: false },
  });
  const app = await buildApp({ deps: composition.deps, config, aaSandbox: composition.aaSandbox });
  try {
    await app.ready();
    // Through JSON, as a client reads it: drops undefined members and TypeBox's symbol keys.
    return JSON.parse(JSON.stringify(app.swagger())) as OpenApiDocument;
  } finally {
    await app.close();
    await composition.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2]) mkdirSync(path.dirname(process.argv[2]), { recursive: true });
  const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
  if (process.argv[2]) writeFileSync(process.argv[2], text);
  else process.stdout.write(text);
}
