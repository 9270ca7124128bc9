/**
 * Lowers the scheduling priority of the calling thread only. On Linux `setpriority` given a
 * thread's own id (read from /proc/thread-self) applies to that thread, not the process, so a
 * worker thread doing bulk work (parsing a statement) yields the CPU to the thread that answers
 * requests. On a 2-core machine two parse threads otherwise take the cores from the event loop,
 * and every request — /healthz included — waits for a time slice (issue 13, item 9).
 *
 * Elsewhere (no /proc/thread-self) this does nothing: the thread keeps the normal priority.
 * Returns the niceness set, or null when it could not be set.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export function lowerThreadPriority(niceness: number): number | null {
  let threadId: number;
  try {
    // "<pid>/task/<tid>"
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return null;
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return null;
  try {
    setPriority(threadId, niceness);
    return niceness;
  } catch {
    return null;
  }
}
