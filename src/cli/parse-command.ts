/**
 * `passbook parse FILE`: a statement PDF as JSON or CSV, read in this process (no server, no
 * store). With `--insights`, the same analysis processing stores for an account, rendered as
 * insights/ renders an account's data.
 */
import { createHash } from 'node:crypto';
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
  const bytes = await readFile(file);
  const password = typeof values.password === 'string' ? values.password : undefined;
  const parsed = await parseStatement(bytes, banks, password === undefined ? {} : { password });
  if (given && parsed.detectedBank && parsed.detectedBank !== given.name) {
    throw new AppError('BANK_NAME_MISMATCH', `Not ${given.name} bank statement (it looks like ${parsed.detectedBank})`);
  }
  if (values.insights === true) {
    const { statementInsights } = await import('./statement-insights.ts');
    const employers = typeof values.employers === 'string' ? values.employers.split(',').map((e) => e.trim()).filter(Boolean) : [];
    const insights = statementInsights(bytes, parsed, {
      bankName: given?.name ?? parsed.detectedBank,
      statementId: uuidOf(createHash('sha256').update(bytes).digest('hex')),
      ...(password === undefined ? {} : { password }),
      ...(typeof values.rules === 'string' ? { rulesFile: values.rules } : {}),
      employers,
      knownProducers: banks.profiles.find((p) => p.bank === (given?.name ?? parsed.detectedBank))?.producers ?? [],
    });
    return `${JSON.stringify(insights, null, 2)}\n`;
  }
  return format === 'csv' ? statementCsv(parsed) : `${JSON.stringify(statementJson(parsed, given?.name ?? parsed.detectedBank), null, 2)}\n`;
}


/** A UUID-shaped id from a file's SHA-256: the same file has the same statement id and transaction hashes in every run. */
function uuidOf(sha256: string): string {
  return `${sha256.slice(0, 8)}-${sha256.slice(8, 12)}-4${sha256.slice(13, 16)}-8${sha256.slice(17, 20)}-${sha256.slice(20, 32)}`;
}
