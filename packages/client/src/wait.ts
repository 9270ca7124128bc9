import { PassbookError } from './errors.ts';

/** Time as the waiting helpers see it; tests give a virtual one, so nothing depends on the wall clock. */
export interface Clock {
  /** Milliseconds, on any fixed origin. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface WaitOptions<T> {
  /** Give up after this long (default 120 000 ms). */
  timeoutMs?: number;
  /** First wait between polls (default 1000 ms). */
  intervalMs?: number;
  /** Each wait is the last times this (default 1.5; 1 polls evenly). */
  backoff?: number;
  /** Longest wait between polls (default 10 000 ms). */
  maxIntervalMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called with every answer polled, the last one included. */
  onPoll?: (value: T) => void;
}

/** Reads until `done` holds; never sleeps past the deadline, and reads once more at it. */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, options: WaitOptions<T> & { clock: Clock; what: string }): Promise<T> {
  const { clock, timeoutMs = 120_000, backoff = 1.5, maxIntervalMs = 10_000 } = options;
  const deadline = clock.now() + timeoutMs;
  let interval = options.intervalMs ?? 1000;
  for (;;) {
    const value = await read();
    options.onPoll?.(value);
    if (done(value)) return value;
    const left = deadline - clock.now();
    if (left <= 0) throw new PassbookError({ code: 'WAIT_TIMEOUT', message: `gave up waiting for ${options.what} after ${timeoutMs} ms`, status: 0, body: value });
    await clock.sleep(Math.min(interval, left), options.signal);
    interval = Math.min(interval * backoff, maxIntervalMs);
  }
}
