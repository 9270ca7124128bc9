/**
 * `npx passbook …`: operator commands over the same use cases as the admin API.
 * Output is JSON on stdout; errors are one line on stderr.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { createClient, getClient, listClients, rotateClientKeys, updateClient } from '../core/manage-clients.ts';
import { AppError } from '../errors/codes.ts';
import { validateFields } from '../http/schemas/fields.ts';
import {
  createClientFields,
  renderClient,
  requireSomeChange,
  toClientChanges,
  updateClientFields,
  type ClientFieldValues,
} from '../http/schemas/clients.ts';
import { DataDirLockedError } from '../store/data-dir-lock.ts';
import { openStore } from '../store/open-store.ts';

const USAGE = `Usage:
  passbook clients create --name NAME [--modes pdf,aa,online] [--plan active|expired] [--allowed-redirect-hosts h1,h2]
  passbook clients list
  passbook clients get CLIENT_ID
  passbook clients update CLIENT_ID [--modes …] [--plan …] [--allowed-redirect-hosts …]
  passbook clients rotate CLIENT_ID

The store is the one the server uses: DATABASE_URL when set, else the embedded store in DATA_DIR.
The api_key and server_hash are printed only by create and rotate.`;

class UsageError extends Error {}

const list = (text: string | boolean | undefined) => (typeof text !== 'string' ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));

function clientFlags(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  return {
    name: values.name,
    enabled_modes: list(values.modes),
    plan_status: values.plan,
    allowed_redirect_hosts: list(values['allowed-redirect-hosts']),
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, id] = positionals;
  if (values.help || group !== 'clients' || !command) throw new UsageError(USAGE);
  const needsId = ['get', 'update', 'rotate'].includes(command);
  if (!['create', 'list', ...(needsId ? [command] : [])].includes(command)) throw new UsageError(USAGE);
  if (needsId && !id) throw new UsageError(`passbook clients ${command} needs a CLIENT_ID`);

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
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(64);
  }
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof AppError) message = `${error.code}: ${error.message}`;
  if (error instanceof DataDirLockedError) message += ' While the server runs, manage clients through its admin API (ADMIN_TOKEN).';
  if (error instanceof ConfigError) message = message.replace(/\n\s*/g, ' ');
  process.stderr.write(`passbook: ${message.replace(/\n/g, ' ')}\n`);
  process.exit(1);
}
