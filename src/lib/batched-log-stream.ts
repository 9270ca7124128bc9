/**
 * Where the server's log lines go: stdout, a batch per event-loop turn. Pino writes each line
 * with a system call of its own; under a burst of requests those calls took a fifth of the main
 * thread (bench/mixed-load.ts). Lines written during one turn go out together at the next
 * (setImmediate), or at once past `maxBytes`; at exit what is left is written before the
 * process ends, so only `kill -9` can lose the lines of the last turn.
 */
export class BatchedLogStream {
  private readonly sink: (text: string) => void;
  private readonly maxBytes: number;
  private pending: string[] = [];
  private bytes = 0;
  private scheduled = false;

  constructor(options: { sink?: (text: string) => void; maxBytes?: number; flushAtExit?: boolean } = {}) {
    this.sink = options.sink ?? ((text) => void process.stdout.write(text));
    this.maxBytes = options.maxBytes ?? 64 * 1024;
    if (options.flushAtExit ?? true) process.once('exit', () => this.flush());
  }

  /** What pino calls for every line. */
  write(line: string): boolean {
    this.pending.push(line);
    this.bytes += line.length;
    if (this.bytes >= this.maxBytes) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.bytes = 0;
    this.sink(text);
  }
}
