/**
 * Parses statements in worker threads so that a large PDF never blocks the API's event loop.
 * Each worker takes one statement at a time; extra requests wait in a queue. A worker that
 * crashes, runs out of memory or overruns the time limit is replaced, and only its own
 * request fails.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors/codes.ts';
import type { ParseOptions } from './parse-statement.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';
import type { ParsedStatement } from './statement-types.ts';

export interface ParsePoolOptions {
  workers: number;
  /** A statement taking longer than this fails (its worker is replaced). */
  timeoutMs: number;
  /** Heap limit per worker; a PDF that needs more fails instead of taking the process down. */
  maxHeapMb: number;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  options: ParseOptions;
  resolve: (statement: ParsedStatement) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const WORKER_URL = new URL('./parse-worker.mjs', import.meta.url);

export class ParsePool {
  private readonly options: ParsePoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ParsePoolOptions) {
    this.options = options;
    for (let i = 0; i < Math.max(1, options.workers); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } });
    const slot: Slot = { worker, job: null, timer: null };
    worker.on('message', (reply: ParseReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      this.finish(slot);
      if (reply.ok) job.resolve(reply.statement);
      else job.reject(reply.code ? new AppError(reply.code as ErrorCode, reply.message) : new Error(reply.message));
      this.dispatch();
    });
    worker.on('error', (error) => this.replace(slot, error));
    worker.on('exit', () => this.replace(slot, new Error('parse worker exited')));
    worker.unref();
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  /** The worker is gone (crash, heap limit, timeout): fail its job and start a fresh one. */
  private replace(slot: Slot, error: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const job = slot.job;
    this.finish(slot);
    void slot.worker.terminate();
    if (job) {
      job.reject(error instanceof AppError ? error : new AppError('INVALID_FILE_OBJECT', 'The statement could not be read (the parser gave up on it).'));
    }
    if (this.closed) {
      this.slots.splice(index, 1);
      return;
    }
    this.slots[index] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => this.replace(slot, new AppError('INVALID_FILE_OBJECT', 'The statement took too long to read.')), this.options.timeoutMs);
      const request: ParseRequest = { id: job.id, bytes: job.bytes, options: job.options };
      slot.worker.postMessage(request, [job.bytes.buffer as ArrayBuffer]);
    }
  }

  /** Parses in a worker. `bytes` is copied first, so the caller's buffer stays usable. */
  parse(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedStatement> {
    if (this.closed) return Promise.reject(new Error('parse pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes: new Uint8Array(bytes), options, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('parse pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
