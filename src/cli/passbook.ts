/**
 * `npx passbook …`: operator commands over the same use cases as the admin API.
 * Output is JSON on stdout; errors are one line on stderr. Each command loads only what it
 * needs (the usage text loads nothing; parse never loads the store), so start-up stays quick.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../errors/codes.ts';
import { CLIENT_COMMANDS, PARSE_EXIT, USAGE, USERS_COMMANDS, UsageError } from './usage.ts';

async function run(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      client: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      modes: { type: 'string' },
      plan: { type: 'string' },
      'allowed-redirect-hosts': { type: 'string' },
      'frame-origins': { type: 'string' },
      password: { type: 'string' },
      bank: { type: 'string' },
      format: { type: 'string' },
      insights: { type: 'boolean' },
      rules: { type: 'string' },
      employers: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'fiu-url': { type: 'string' },
      keys: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, id] = positionals;
  // Asked for, the usage is an answer (stdout, exit 0); only a misuse prints it as an error (64).
  if (values.help) return `${USAGE}\n`;
  if (group === 'parse') {
    const { runParse } = await import('./parse-command.ts');
    return runParse(command, values);
  }
  if (group === 'aa-sandbox') {
    if (command !== undefined) throw new UsageError(USAGE);
    const { runAaSandbox } = await import('./aa-sandbox-command.ts');
    return runAaSandbox(values);
  }
  if (group === 'sessions' && command === 'reanalyse') {
    if (!id) throw new UsageError('passbook sessions reanalyse needs a SESSION_ID');
    const { loadConfig } = await import('../config.ts');
    const { runReanalyse } = await import('./sessions-command.ts');
    return runReanalyse(loadConfig(process.env), id);
  }
  if (group === 'users') {
    const usersCommand = USERS_COMMANDS.find((c) => c === command);
    if (!usersCommand) throw new UsageError(USAGE);
    const { loadConfig } = await import('../config.ts');
    const { runUsers } = await import('./users-command.ts');
    return runUsers(loadConfig(process.env), usersCommand, id, values);
  }
  if (group !== 'clients' || !command) throw new UsageError(USAGE);
  const clientsCommand = CLIENT_COMMANDS.find((c) => c === command);
  if (!clientsCommand) throw new UsageError(USAGE);
  if (['get', 'update', 'rotate'].includes(clientsCommand) && !id) throw new UsageError(`passbook clients ${command} needs a CLIENT_ID`);

  const { loadConfig } = await import('../config.ts');
  const { runClients } = await import('./clients-command.ts');
  return runClients(loadConfig(process.env), clientsCommand, id, values);
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
  if (error instanceof Error && error.name === 'DataDirLockedError') message += ' While the server runs, manage clients and users through its admin API (ADMIN_TOKEN).';
  // By name: config.ts and the store are loaded only by the commands that need them.
  // A ConfigError lists one problem a line.
  if (error instanceof Error && error.name === 'ConfigError') message = message.replace(/\n\s*/g, ' ');
  process.stderr.write(`passbook: ${message.replace(/\n/g, ' ')}\n`);
  process.exit(code);
}
