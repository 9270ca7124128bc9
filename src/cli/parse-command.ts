/** `passbook parse FILE`: a statement PDF as JSON or CSV, read in this process (no server, no store). */
import { readFile } from 'node:fs/promises';
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
  const parsed = await parseStatement(await readFile(file), banks, typeof values.password === 'string' ? { password: values.password } : {});
  if (given && parsed.detectedBank && parsed.detectedBank !== given.name) {
    throw new AppError('BANK_NAME_MISMATCH', `Not ${given.name} bank statement (it looks like ${parsed.detectedBank})`);
  }
  return format === 'csv' ? statementCsv(parsed) : `${JSON.stringify(statementJson(parsed, given?.name ?? parsed.detectedBank), null, 2)}\n`;
}

