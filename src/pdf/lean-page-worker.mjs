// Worker entry from source. On Node 20 a worker thread does not get the main thread's
// `--import tsx` loader for its entry module, so the TypeScript worker is loaded through tsx's
// API here. (The compiled reader starts lean-page-worker.js directly.)
import { register } from 'tsx/esm/api';

register();
await import('./lean-page-worker.ts');
