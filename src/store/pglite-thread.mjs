// Thread entry when running from source. On Node 20 a worker thread does not get the main
// thread's `--import tsx` loader for its entry module, so the TypeScript is loaded through tsx's API.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.ts');
