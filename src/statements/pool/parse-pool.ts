/**
 * Parses statements in worker threads so that a large PDF never blocks the API's event loop.
 * Each worker leads one statement at a time; extra requests wait in a queue. A worker that
 * crashes, goes over its memory limit (heap, or heap plus ArrayBuffers: see parse-worker.ts) or
 * overruns the time limit is replaced, and only its own request fails (INVALID_FILE_OBJECT).
 *
 * Most statements are read by the lean reader, fast enough on one thread. Those that pdfjs reads
 * (password-protected ones, unusual fonts) spend most of their time reading pages, so once a
 * lead reports that it turns to pdfjs, workers with no statement of their own are lent
 * to it: they read some of its pages and send them straight to the worker leading it, so a lone
 * large statement uses every worker. When a statement is queued and no worker is free, a helper
 * is recalled after the page it is reading.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../errors/codes.ts';
import type { ParseOptions } from '../parse/parse-statement.ts';
import type { CheckedStatement } from '../../ports/statement-parser.ts';
import type { HelpRequest, JoinRequest, ParseRequest, WorkerReply } from './parse-worker.ts';
import { OVER_MEMORY_EXIT_CODE, type WorkerSettings } from './worker-limits.ts';
import { closeClaims, countLent, lentCount, newClaims, wantsHelpers } from '../../pdf/page-claims.ts';

export interface ParsePoolOptions {
  /** Worker threads, and so the most statements parsed at once. */
  workers: number;
  /** A statement taking longer than this fails (its worker is replaced). */
  timeoutMs: number;
  /** Heap limit per worker; a PDF that needs more fails instead of taking the process down. */
  maxHeapMb: number;
  /**
   * Heap plus ArrayBuffer memory per worker, in MB: decoded streams and pdfjs's buffers live
   * outside the heap. A worker past it is replaced and its statement fails. By default the heap
   * limit plus 512 MB, the most one document may decode (`decodeBudget` in pdf/objects.ts).
   */
  maxMemoryMb?: number;
}

const OUT_OF_MEMORY = 'The statement needs more memory than a statement may use (refused as a possible hostile file).';

interface Job {
  id: number;
  /** Over a SharedArrayBuffer: one copy of the file for the lead and all its helpers. */
  bytes: Uint8Array;
  options: ParseOptions;
  claims: Int32Array;
  helpers: Set<Slot>;
  resolve: (statement: CheckedStatement) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded its code: a statement's time limit starts only on a ready worker. */
  ready: boolean;
  /** The statement this worker leads or helps with. */
  job: Job | null;
  /** What the worker does for `job` (while it has one). */
  role: 'lead' | 'help';
  /** A helper's: set to ask it to stop after the page it is reading. */
  recall: Int32Array | null;
  timer: NodeJS.Timeout | null;
}

// Compiled (dist/), the worker is plain JavaScript. From source, a worker thread does not get the
// main thread's `--import tsx` on Node 20, so parse-worker.mjs registers tsx first.
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('./parse-worker.mjs', import.meta.url) : new URL('./parse-worker.js', import.meta.url);

export class ParsePool {
  private readonly options: ParsePoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private lent = 0;

  /** Workers start with the first statement (or `warm`), so a process that never parses never pays for them. */
  constructor(options: ParsePoolOptions) {
    this.options = options;
  }

  /** Starts the workers now, if they are not running yet. */
  warm(): void {
    if (this.closed || this.slots.length > 0) return;
    for (let i = 0; i < Math.max(1, this.options.workers); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const workerData: WorkerSettings = { maxMemoryBytes: (this.options.maxMemoryMb ?? this.options.maxHeapMb + 512) * 2 ** 20 };
    const worker = new Worker(WORKER_URL, { workerData, resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } });
    const slot: Slot = { worker, ready: false, job: null, role: 'lead', recall: null, timer: null };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') {
        slot.ready = true;
        // Until now it kept the process running, so that a statement waiting for it is not
        // dropped; from here a statement's timer does that.
        worker.unref();
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      if (reply.kind === 'sharing') {
        // The lead turns to pdfjs: idle workers can help with its pages now.
      } else if (reply.kind === 'helped') {
        if (slot.role !== 'help') return;
        this.finish(slot);
      } else {
        if (slot.role !== 'lead') return;
        this.finish(slot);
        if (reply.ok) job.resolve(reply.statement);
        else job.reject(reply.code ? new AppError(reply.code as ErrorCode, reply.message) : new Error(reply.message));
      }
      this.dispatch();
    });
    worker.on('error', (error) => {
      const outOfHeap = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.replace(slot, outOfHeap ? new AppError('INVALID_FILE_OBJECT', OUT_OF_MEMORY) : error);
    });
    worker.on('exit', (code) => this.replace(slot, code === OVER_MEMORY_EXIT_CODE ? new AppError('INVALID_FILE_OBJECT', OUT_OF_MEMORY) : new Error('parse worker exited')));
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    // Whatever pages are left unread, the lead no longer wants help with them.
    if (job && slot.role === 'lead') closeClaims(job.claims);
    if (job && slot.role === 'help') job.helpers.delete(slot);
    slot.timer = null;
    slot.job = null;
    slot.recall = null;
  }

  /**
   * The worker is gone (crash, heap limit, timeout): fail its statement if it led one (a helper
   * only costs its lead the pages it had claimed, which the lead reads itself) and start a fresh
   * worker.
   */
  private replace(slot: Slot, error: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const job = slot.job;
    const led = slot.role === 'lead';
    this.finish(slot);
    void slot.worker.terminate();
    if (job && led) {
      job.reject(error instanceof AppError ? error : new AppError('INVALID_FILE_OBJECT', 'The statement could not be read (the parser gave up on it).'));
    }
    if (this.closed) {
      this.slots.splice(index, 1);
      return;
    }
    this.slots[index] = this.spawn();
    this.dispatch();
  }

  /** A helper gets the limit too: one stuck on a page would otherwise never come back. */
  private startTimer(slot: Slot): void {
    slot.timer = setTimeout(() => this.replace(slot, new AppError('INVALID_FILE_OBJECT', 'The statement took too long to read.')), this.options.timeoutMs);
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.job || !slot.ready || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.role = 'lead';
      this.startTimer(slot);
      const request: ParseRequest = { kind: 'parse', id: job.id, bytes: job.bytes, options: job.options, claims: job.claims };
      slot.worker.postMessage(request);
    }
    if (this.queue.length > 0) {
      // Statements are waiting and every worker is busy: take helpers back, one per waiting
      // statement, each after the page it is reading.
      let wanted = this.queue.length - this.slots.filter((s) => s.role === 'help' && s.recall && Atomics.load(s.recall, 0) !== 0).length;
      for (const slot of this.slots) {
        if (wanted <= 0) break;
        if (slot.role === 'help' && slot.recall && Atomics.load(slot.recall, 0) === 0) {
          Atomics.store(slot.recall, 0, 1);
          wanted--;
        }
      }
      return;
    }
    for (const slot of this.slots) {
      if (slot.job || !slot.ready) continue;
      // The statement with pages left to read and the fewest helpers.
      let target: Job | null = null;
      for (const s of this.slots) {
        const job = s.role === 'lead' ? s.job : null;
        // The cap only matters if helpers fail at once (each would be lent again, and fail again).
        const wantsHelp = job && wantsHelpers(job.claims) && lentCount(job.claims) < 2 * this.slots.length;
        if (wantsHelp && (!target || job.helpers.size < target.helpers.size)) target = job;
      }
      if (!target) break;
      this.lend(slot, target);
    }
  }

  /** How many times a worker has been lent to another's statement (for tests and benchmarks). */
  get helpersLent(): number {
    return this.lent;
  }

  private lend(slot: Slot, job: Job): void {
    const lead = this.slots.find((s) => s.job === job && s.role === 'lead');
    if (!lead) return;
    this.lent++;
    slot.job = job;
    slot.role = 'help';
    slot.recall = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    job.helpers.add(slot);
    this.startTimer(slot);
    const { port1, port2 } = new MessageChannel();
    // Counted before the lead hears of it, so that the lead waits for this helper's pages.
    countLent(job.claims);
    lead.worker.postMessage({ kind: 'join', id: job.id, port: port1 } satisfies JoinRequest, [port1]);
    const help: HelpRequest = { kind: 'help', id: job.id, bytes: job.bytes, password: job.options.password, claims: job.claims, recall: slot.recall, port: port2 };
    slot.worker.postMessage(help, [port2]);
  }

  /** Parses in a worker. `bytes` is copied first, so the caller's buffer stays usable. */
  parse(bytes: Uint8Array, options: ParseOptions = {}): Promise<CheckedStatement> {
    if (this.closed) return Promise.reject(new Error('parse pool is closed'));
    this.warm();
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes: shared, options, claims: newClaims(), helpers: new Set(), resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('parse pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
