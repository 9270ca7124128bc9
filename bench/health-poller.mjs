// The health poller's thread (startHealthPoller in bench-servers.ts): polls /healthz from an
// event loop that nothing else uses, until told to stop. A worker thread does not get the main
// thread's `--import tsx` loader on Node 20, so the TypeScript module is loaded through tsx's API.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { pollHealth } = await import('./bench-servers.ts');
const stop = new Promise((resolve) => parentPort.once('message', resolve));
parentPort.postMessage('ready');
parentPort.postMessage(await pollHealth(workerData.port, stop, workerData.intervalMs));
