/**
 * `npx passbook …`: operator commands over the same use cases as the admin API.
 * Output is JSON on stdout; errors are one line on stderr.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadBankCatalogue } from '../banks/bank-catalogue.ts';
import { parseStatement } from '../statements/parse/parse-statement.ts';
import { statementCsv, statementJson } from './statement-output.ts';
import { createClient, getClient, listClients, rotateClientKeys, updateClient } from '../usecases/manage-clients.ts';
import { AppError } from '../errors/codes.ts';
import { validateFields } from '../wire/fields.ts';
import {
  createClientFields,
  renderClient,
  requireSomeChange,
  toClientChanges,
  updateClientFields,
  type ClientFieldValues,
} from '../wire/clients.ts';
import { DataDirLockedError } from '../store/data-dir-lock.ts';
import { openStore } from '../store/open-store.ts';

const USAGE = `Usage:
  passbook parse FILE [--password P] [--bank ID] [--format json|csv]
  passbook clients create --name NAME [--modes pdf,aa,online] [--plan active|expired] [--allowed-redirect-hosts h1,h2] [--frame-origins o1,o2]
  passbook clients list
  passbook clients get CLIENT_ID
  passbook clients update CLIENT_ID [--modes …] [--plan …] [--allowed-redirect-hosts …]
  passbook clients rotate CLIENT_ID

parse prints a statement PDF as data. Exit codes: 0 parsed, 2 missing or wrong password,
3 unsupported, image-only or unreadable file, 1 anything else.

The clients commands use the store the server uses: DATABASE_URL when set, else the embedded store in DATA_DIR.
The api_key and server_hash are printed only by create and rotate.`;

class UsageError extends Error {}

/** Exit codes of `passbook parse`, by error code. */
const PARSE_EXIT: Partial<Record<string, number>> = {
  PASSWORD_INCORRECT: 2,
  STATEMENT_UNSUPPORTED_FORMAT: 3,
  PDF_IS_IMAGE: 3,
  INVALID_FILE_OBJECT: 3,
  EMPTY_FILE: 3,
};

async function runParse(file: string | undefined, values: Record<string, string | boolean | undefined>): Promise<string> {
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

const list = (text: string | boolean | undefined) => (typeof text !== 'string' ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));

function clientFlags(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  return {
    name: values.name,
    enabled_modes: list(values.modes),
    plan_status: values.plan,
    allowed_redirect_hosts: list(values['allowed-redirect-hosts']),
    frame_origins: list(values['frame-origins']),
  };
}

async function run(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      modes: { type: 'string' },
      plan: { type: 'string' },
      'allowed-redirect-hosts': { type: 'string' },
      'frame-origins': { type: 'string' },
      password: { type: 'string' },
      bank: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, id] = positionals;
  if (!values.help && group === 'parse') return runParse(command, values);
  if (values.help || group !== 'clients' || !command) throw new UsageError(USAGE);
  const needsId = ['get', 'update', 'rotate'].includes(command);
  if (!['create', 'list', ...(needsId ? [command] : [])].includes(command)) throw new UsageError(USAGE);
  if (needsId && !id) throw new UsageError(`passbook clients ${command} needs a CLIENT_ID`);

  // Loaded here: reading the configuration loads TypeBox (about 0.8 s under tsx), which
  // `passbook parse` and the usage text do not need.
  const { loadConfig } = await import('../config.ts');
  const config = loadConfig(process.env);
  const db = await openStore(config);
  try {
    const deps = { db };
    switch (command) {
      case 'create': {
        const v = validateFields(createClientFields, clientFlags(values)) as ClientFieldValues;
        const { client, credentials } = await createClient(deps, { name: v.name!, ...toClientChanges(v) });
        return renderClient(client, credentials);
      }
      case 'list': {
        const clients = await listClients(deps);
        return { count: clients.length, clients: clients.map((c) => renderClient(c)) };
      }
      case 'get':
        return renderClient(await getClient(deps, id!));
      case 'update': {
        const v = validateFields(updateClientFields, clientFlags(values)) as ClientFieldValues;
        requireSomeChange(v as Record<string, unknown>);
        return renderClient(await updateClient(deps, id!, toClientChanges(v)));
      }
      default: {
        const { client, credentials } = await rotateClientKeys(deps, id!);
        return renderClient(client, credentials);
      }
    }
  } finally {
    await db.close();
  }
}

try {
  const result = await run(process.argv.slice(2));
  process.stdout.write(typeof result === 'string' ? result : `${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(64);
  }
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof AppError) message = `${error.code}: ${error.message}`;
  const code = error instanceof AppError && process.argv[2] === 'parse' ? (PARSE_EXIT[error.code] ?? 1) : 1;
  if (error instanceof DataDirLockedError) message += ' While the server runs, manage clients through its admin API (ADMIN_TOKEN).';
  // A ConfigError (by name: config.ts is loaded only when needed) lists one problem a line.
  if (error instanceof Error && error.name === 'ConfigError') message = message.replace(/\n\s*/g, ' ');
  process.stderr.write(`passbook: ${message.replace(/\n/g, ' ')}\n`);
  process.exit(code);
}
