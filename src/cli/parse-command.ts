/** `passbook parse FILE`: a statement PDF as JSON or CSV, read in this process (no server, no store). */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { loadBankCatalogue } from '../banks/bank-catalogue.ts';
import { AppError } from '../errors/codes.ts';
import { parseStatement } from '../statements/parse/parse-statement.ts';
import { statementCsv, statementJson } from './statement-output.ts';
import { USAGE, UsageError } from './usage.ts';

export async function runParse(file: string | undefined, values: Record<string, string | boolean | undefined>): Promise<string> {
  if (!file) throw new UsageError(USAGE);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError('--format is json or csv');
  const banks = loadBankCatalogue();
  const given = typeof values.bank === 'string' ? banks.find(values.bank) : undefined;
  if (typeof values.bank === 'string' && !given) throw new AppError('INVALID_BANK_NAME');
  const options = { leanHelpers: idleCores(), ...(typeof values.password === 'string' ? { password: values.password } : {}) };
  // Read at once: an asynchronous read of a few MB only waits on the thread pool.
  const parsed = await parseStatement(readFileSync(file), banks, options);
  if (given && parsed.detectedBank && parsed.detectedBank !== given.name) {
    throw new AppError('BANK_NAME_MISMATCH', `Not ${given.name} bank statement (it looks like ${parsed.detectedBank})`);
  }
  return format === 'csv' ? statementCsv(parsed) : `${JSON.stringify(statementJson(parsed, given?.name ?? parsed.detectedBank), null, 2)}\n`;
}


/**
 * How many helper threads may read a large statement's pages besides this one: the cores that
 * the last minute's load leaves idle. On a busy machine a helper only waits for a core, and its
 * start-up (and the lead waiting for its last page) makes the parse slower, not faster.
 */
function idleCores(): number {
  const cores = availableParallelism();
  return Math.max(0, Math.min(cores - 1, Math.floor(cores - loadavg()[0]!)));
}
