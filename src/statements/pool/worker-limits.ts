/** What the parse pool and its worker threads agree on about a worker's limits (a module of its own: importing parse-worker.ts would run the worker). */

/** What the pool gives a worker when it starts it (`workerData`). */
export interface WorkerSettings {
  /** The most heap plus ArrayBuffer (external) memory the thread may use while it reads a statement. */
  maxMemoryBytes: number;
}

/** The exit code of a worker that stopped itself for going over `maxMemoryBytes`. */
export const OVER_MEMORY_EXIT_CODE = 75;
