// Worker entry. On Node 20 a worker thread does not get the main thread's `--import tsx`
// loader for its entry module, so the TypeScript worker is loaded through tsx's API here.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
