/** Admin API for clients; registered only when ADMIN_TOKEN is set. */
import type { Deps } from '../../usecases/deps.ts';
import { createClient, getClient, listClients, rotateClientKeys, updateClient } from '../../usecases/manage-clients.ts';
import type { Router } from '../route.ts';
import { validateFields } from '../../wire/fields.ts';
import {
  createClientFields,
  MAX_CLIENT_PARAMETERS,
  renderClient,
  requireSomeChange,
  updateClientFields,
  toClientChanges,
} from '../../wire/clients.ts';

export function adminClientRoutes(router: Router, deps: Deps): void {
  const body = { maxParameters: MAX_CLIENT_PARAMETERS };

  router.route({
    method: 'POST',
    url: '/admin/v1/clients',
    auth: 'admin',
    body,
    async handler({ params }) {
      const v = validateFields(createClientFields, params);
      const { client, credentials } = await createClient(deps, { name: v.name, ...toClientChanges(v) });
      return { status: 201, body: renderClient(client, credentials) };
    },
  });

  router.route({
    method: 'GET',
    url: '/admin/v1/clients',
    auth: 'admin',
    async handler() {
      const clients = await listClients(deps);
      return { body: { count: clients.length, clients: clients.map((c) => renderClient(c)) } };
    },
  });

  router.route({
    method: 'GET',
    url: '/admin/v1/clients/:client_id',
    auth: 'admin',
    async handler({ path }) {
      return { body: renderClient(await getClient(deps, path.client_id!)) };
    },
  });

  router.route({
    method: 'PATCH',
    url: '/admin/v1/clients/:client_id',
    auth: 'admin',
    body,
    async handler({ path, params }) {
      const v = validateFields(updateClientFields, params);
      requireSomeChange(v);
      const client = await updateClient(deps, path.client_id!, toClientChanges(v));
      return { body: renderClient(client) };
    },
  });

  router.route({
    method: 'POST',
    url: '/admin/v1/clients/:client_id/rotate-keys',
    auth: 'admin',
    async handler({ path }) {
      const { client, credentials } = await rotateClientKeys(deps, path.client_id!);
      return { body: renderClient(client, credentials) };
    },
  });
}
