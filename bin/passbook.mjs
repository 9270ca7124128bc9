#!/usr/bin/env node
// Runs the TypeScript CLI without a build step (the same way `npm start` runs the server).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/passbook.ts');
