/**
 * A helper thread of `readLeanOnThreads` (lean-threads.ts): opens the statement's bytes and
 * reads the pages it claims until none are left, sending each to the thread that leads. Any
 * failure just ends the help: the lead reads the pages that did not arrive, and meets the
 * error itself if there is one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLeanDocument } from './content-text.ts';
import { packPage, type LeanHelperData, type LeanHelperMessage } from './lean-threads.ts';
import { claimPage } from './page-claims.ts';

const { bytes, password, claims } = workerData as LeanHelperData;
const port = parentPort!;
try {
  const document = openLeanDocument(bytes, { password });
  for (let n = claimPage(claims, document.pageCount); n !== null; n = claimPage(claims, document.pageCount)) {
    const page = packPage(document.readPage(n));
    port.postMessage({ page } satisfies LeanHelperMessage, [page.boxes.buffer]);
  }
} catch {
  // The lead reads what is missing.
}
port.postMessage({ done: true } satisfies LeanHelperMessage);
