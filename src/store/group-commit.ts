/**
 * Group commit: rows written while an earlier write is still in flight wait for it and then go
 * to the store together, in one multi-row statement. Every caller's promise settles only when
 * its own row is committed (or has failed), so nothing is acknowledged before it is durable.
 *
 * A flush starts one event-loop turn after the first row is queued (setImmediate), so that every
 * request already readable on other connections is parsed and queued first: PGlite runs a query
 * synchronously once it starts, so without the deferral each batch would hold one row. Under
 * light load a row waits only that one turn; under heavy load batches grow by themselves, which
 * turns many single-row INSERTs (each a full round through the store) into a few large ones.
 * If a batch fails, its rows are retried one by one so that one bad row fails only its caller.
 */
interface Pending<T> {
  row: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private readonly queue: Pending<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly flushRows: (rows: T[]) => Promise<void>;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /**
   * @param flushRows writes the rows in one statement (or one transaction)
   * @param maxInFlight concurrent flushes: 1 for a single-session store, more for a pool
   */
  constructor(flushRows: (rows: T[]) => Promise<void>, options: { maxBatch: number; maxInFlight: number }) {
    this.flushRows = flushRows;
    this.maxBatch = options.maxBatch;
    this.maxInFlight = options.maxInFlight;
  }

  write(row: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async flush(batch: Pending<T>[]): Promise<void> {
    try {
      await this.flushRows(batch.map((p) => p.row));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const p of batch) {
        try {
          await this.flushRows([p.row]);
          p.resolve();
        } catch (rowError) {
          p.reject(rowError);
        }
      }
    }
  }
}
