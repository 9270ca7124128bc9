/**
 * Runs in a worker thread of the parse pool. `parse` makes this thread lead one statement: it
 * reads the pages, with any helpers the pool lends it (`join`) once it has told the pool that
 * it turns to pdfjs (`sharing`), then the table, and posts the result back. `help` makes it read pages of a statement another thread leads, sending them to
 * that thread over the port it was given, so that page data never passes through the main
 * thread.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadBankCatalogue } from '../../banks/bank-catalogue.ts';
import { AppError } from '../../errors/codes.ts';
import { lentCount } from '../../pdf/page-claims.ts';
import { helpReadPdfText, preloadPdfjs, type PageShare, type PdfPage } from '../../pdf/read-pdf-text.ts';
import { readStatement, readStatementText, type ParseOptions } from '../parse/parse-statement.ts';
import type { CheckedStatement } from '../../ports/statement-parser.ts';
import { findStatementFraud } from '../../fraud/find-statement-fraud.ts';
import { OVER_MEMORY_EXIT_CODE, type WorkerSettings } from './worker-limits.ts';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';

/** How often a busy worker measures itself. */
const MEMORY_CHECK_MS = 50;

export interface ParseRequest {
  kind: 'parse';
  id: number;
  /** Over a SharedArrayBuffer, shared with the helpers. */
  bytes: Uint8Array;
  options: ParseOptions;
  /** See `newClaims` in src/pdf/page-claims.ts. */
  claims: Int32Array;
}

/** A helper lent to the statement this thread leads; `port` leads to it. */
export interface JoinRequest {
  kind: 'join';
  id: number;
  port: MessagePort;
}

export interface HelpRequest {
  kind: 'help';
  id: number;
  bytes: Uint8Array;
  password?: string;
  claims: Int32Array;
  /** Set by the pool when it wants this thread back for a statement of its own. */
  recall: Int32Array;
  /** To the thread leading the statement. */
  port: MessagePort;
}

export type WorkerRequest = ParseRequest | JoinRequest | HelpRequest;

export type ParseReply =
  | { kind: 'parsed'; id: number; ok: true; statement: CheckedStatement }
  | { kind: 'parsed'; id: number; ok: false; code: string | null; message: string };

/** `sharing`: the lead turns to pdfjs for its statement, whose pages helpers can then read. */
/** `ready`: the worker's code is loaded; the pool gives it work (and starts its clock) only then. */
export type WorkerReply = ParseReply | { kind: 'helped'; id: number } | { kind: 'sharing'; id: number } | { kind: 'ready' };

/** What a helper sends to the lead: pages, then `done`. */
type HelperMessage = { page: PdfPage } | { done: true };

/**
 * Parsing is bulk work with no one waiting on each millisecond; requests are not. At niceness 10
 * the kernel gives a parse thread about a tenth of the share of the event loop's thread when
 * both want a core, and all of an idle core otherwise.
 */
const PARSE_THREAD_NICENESS = 10;
lowerThreadPriority(PARSE_THREAD_NICENESS);

const banks = loadBankCatalogue();
const settings = workerData as WorkerSettings;

/**
 * The worker's memory in bytes, measured by the worker itself. `resourceLimits` bounds only the
 * V8 heap; decoded streams, pdfjs's buffers and Node Buffers are ArrayBuffers outside it (a 5 KB
 * bomb once took a server to 9.8 GB under a 1 GB heap limit). On Node 20 nothing outside the
 * thread can measure it: a Worker has no memoryUsage(), and the process's RSS is shared by all
 * threads. Inside a worker, process.memoryUsage() reports this thread's own isolate: heapUsed and
 * `external` (which includes its ArrayBuffers). So a timer checks it while the thread has a
 * statement, and the thread ends itself past the limit; the pool sees the exit code, refuses the
 * statement and starts a fresh worker. The timer runs whenever the thread yields (inside pdfjs's
 * steps), and the readers check after every page, so a statement is caught at its first page
 * past the limit whatever the timing. Within one page, a synchronous stretch (the lean reader,
 * one inflate) is bounded by the decode budget and the heap limit instead.
 */
let busy = 0;
function checkMemory(): void {
  if (busy === 0) return;
  const { heapUsed, external } = process.memoryUsage();
  if (heapUsed + external > settings.maxMemoryBytes) process.exit(OVER_MEMORY_EXIT_CODE);
}
setInterval(checkMemory, MEMORY_CHECK_MS).unref();

/** The statement this thread leads, if any, with the ports of its helpers. */
let leading: { id: number; ports: MessagePort[]; joined: number; working: number; onEvent: (page?: PdfPage) => void } | null = null;

function join(request: JoinRequest): void {
  const lead = leading;
  if (!lead || lead.id !== request.id) {
    // The statement is finished; the helper finds nothing left to claim.
    request.port.close();
    return;
  }
  lead.ports.push(request.port);
  lead.joined++;
  lead.working++;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    lead.working--;
    lead.onEvent();
  };
  request.port.on('message', (message: HelperMessage) => {
    if ('page' in message) lead.onEvent(message.page);
    else finish();
  });
  // A helper that crashes or is replaced closes its end without saying `done`.
  request.port.once('close', finish);
  lead.onEvent();
}

async function parse(request: ParseRequest): Promise<ParseReply> {
  const lead = { id: request.id, ports: [] as MessagePort[], joined: 0, working: 0, onEvent: (_page?: PdfPage) => {} };
  leading = lead;
  const share: PageShare = {
    claims: request.claims,
    // A helper the pool has lent may not have been announced yet: its `join` is still queued.
    pending: () => lead.working > 0 || lead.joined < lentCount(request.claims),
    listen: (onEvent) => (lead.onEvent = onEvent),
    readingWithPdfjs: () => parentPort!.postMessage({ kind: 'sharing', id: request.id } satisfies WorkerReply),
  };
  try {
    const { options } = request;
    const text = await readStatementText(request.bytes, options, share, checkMemory);
    const statement = readStatement(text, banks);
    let fraudFindings = null;
    if (options.fraudCheck) {
      const bank = options.fraudCheck.bankName ?? statement.detectedBank;
      fraudFindings = findStatementFraud(request.bytes, statement, {
        statementId: options.fraudCheck.statementId,
        knownProducers: banks.profiles.find((p) => p.bank === bank)?.producers ?? [],
        ...(options.password ? { password: options.password } : {}),
      });
    }
    return { kind: 'parsed', id: request.id, ok: true, statement: { ...statement, fraudFindings } };
  } catch (error) {
    return error instanceof AppError
      ? { kind: 'parsed', id: request.id, ok: false, code: error.code, message: error.message }
      : { kind: 'parsed', id: request.id, ok: false, code: null, message: error instanceof Error ? error.message : String(error) };
  } finally {
    leading = null;
    for (const port of lead.ports) port.close();
  }
}

async function help(request: HelpRequest): Promise<void> {
  const send = (message: HelperMessage) => request.port.postMessage(message);
  try {
    await helpReadPdfText(request.bytes, request.password, request.claims, request.recall, (page) => send({ page }));
  } finally {
    send({ done: true });
    request.port.close();
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  switch (request.kind) {
    case 'join':
      join(request);
      return;
    case 'help':
      busy++;
      void help(request).finally(() => {
        busy--;
        parentPort!.postMessage({ kind: 'helped', id: request.id } satisfies WorkerReply);
      });
      return;
    case 'parse':
      busy++;
      void parse(request).then((reply) => {
        busy--;
        parentPort!.postMessage(reply satisfies WorkerReply);
      });
      return;
  }
});

// Failing here is not fatal: the first statement loads pdfjs again and reports the error.
preloadPdfjs().catch(() => {});
parentPort!.postMessage({ kind: 'ready' } satisfies WorkerReply);
