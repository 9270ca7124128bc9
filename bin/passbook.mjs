#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` or `npm run build`). From a checkout that
// was never built, it falls back to the TypeScript sources through tsx, which starts slower.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/passbook.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/passbook.ts');
}
