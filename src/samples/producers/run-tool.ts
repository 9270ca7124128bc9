/** Runs a producer's program (a browser, an office suite, a Python script) with a time limit. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { layOutStatement, type SampleStatement } from '../statement-pages.ts';

/** The program a producer needs is not installed: `install` says which Debian package has it. */
export class ProducerMissing extends Error {
  readonly program: string;
  readonly install: string;
  constructor(program: string, install: string) {
    super(`${program} is not installed (apt-get install -y ${install})`);
    this.name = 'ProducerMissing';
    this.program = program;
    this.install = install;
  }
}

export interface ToolRun {
  /** The Debian package to install when the program is missing. */
  install: string;
  timeoutMs: number;
  stdin?: string | Buffer;
  cwd?: string;
}

/** `program args…`'s standard output; fails with its standard error when it exits non-zero or runs out of time. */
export function runTool(program: string, args: string[], run: ToolRun): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: run.cwd, timeout: run.timeoutMs, killSignal: 'SIGKILL', stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new ProducerMissing(program, run.install) : error));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(stdout));
      const why = signal ? `was stopped by ${signal}${signal === 'SIGKILL' ? ` (over its ${run.timeoutMs / 1000} s limit)` : ''}` : `exited with ${code}`;
      reject(new Error(`${path.basename(program)} ${why}: ${Buffer.concat(stderr).toString().trim().slice(-2000)}`));
    });
    // A program that exits without reading its input would fail the write: its exit code tells why.
    child.stdin.on('error', () => {});
    child.stdin.end(run.stdin ?? '');
  });
}

/** Calls `use` with a fresh temporary directory, removed afterwards. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), `passbook-${prefix}-`));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Draws each statement's page model with a Python script (one run for them all: importing
 * matplotlib alone takes a second), which gets `[{model, out}, …]` as JSON on stdin and writes
 * each PDF to its `out`. Debian's python3, isolated from the user's environment and
 * site-packages; a missing `module` is a `ProducerMissing`.
 */
export function drawWithPython(script: string, statements: SampleStatement[], run: { module: string; install: string; timeoutMs: number }): Promise<Buffer[]> {
  return withTempDir(run.module, async (dir) => {
    const jobs = statements.map((statement, i) => ({ model: layOutStatement(statement), out: path.join(dir, `statement-${i}.pdf`) }));
    try {
      await runTool('/usr/bin/python3', ['-I', script], { install: run.install, timeoutMs: run.timeoutMs, stdin: JSON.stringify(jobs) });
    } catch (error) {
      if (error instanceof Error && error.message.includes(`ModuleNotFoundError: No module named '${run.module}'`)) throw new ProducerMissing(`python3's ${run.module}`, run.install);
      throw error;
    }
    return Promise.all(jobs.map((job) => readFile(job.out)));
  });
}
