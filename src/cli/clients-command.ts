/**
 * `passbook clients …`: the admin API's use cases on the configured store (DATABASE_URL, else
 * the embedded store in DATA_DIR, which only one process may open at a time).
 */
import type { Config } from '../config.ts';
import { compose } from '../compose.ts';
import { createClient, getClient, listClients, rotateClientKeys, updateClient } from '../usecases/manage-clients.ts';
import { validateFields } from '../wire/fields.ts';
import {
  createClientFields,
  renderClient,
  requireSomeChange,
  toClientChanges,
  updateClientFields,
  type ClientFieldValues,
} from '../wire/clients.ts';
import type { ClientsCommand } from './usage.ts';

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

export async function runClients(config: Config, command: ClientsCommand, id: string | undefined, values: Record<string, string | boolean | undefined>): Promise<unknown> {
  const composition = await compose(config);
  const { deps } = composition;
  try {
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
      case 'rotate': {
        const { client, credentials } = await rotateClientKeys(deps, id!);
        return renderClient(client, credentials);
      }
    }
  } finally {
    await composition.close();
  }
}
