/** Admin API for clients; registered only when ADMIN_TOKEN is set. */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { createClient, getClient, listClients, rotateClientKeys, updateClient } from '../../usecases/manage-clients.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';
import { validateFields } from '../../wire/fields.ts';
import {
  ClientList,
  ClientWire,
  createClientFields,
  MAX_CLIENT_PARAMETERS,
  renderClient,
  requireSomeChange,
  updateClientFields,
  toClientChanges,
} from '../../wire/clients.ts';
import { Uuid } from '../../wire/wire-formats.ts';

const params = Type.Object({ client_id: Uuid });

export function adminClientRoutes(router: Router, deps: Deps): void {
  const body = { maxParameters: MAX_CLIENT_PARAMETERS };

  router.route({
    method: 'POST',
    url: '/admin/v1/clients',
    auth: 'admin',
    body,
    summary: 'Create a client (shows its api_key and server_hash once)',
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: createClientFields },
    responses: { 201: { description: 'Created, with its credentials', json: ClientWire } },
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
    summary: 'List clients (no secrets)',
    responses: { 200: { description: 'Clients', json: ClientList } },
    async handler() {
      const clients = await listClients(deps);
      return { body: { count: clients.length, clients: clients.map((c) => renderClient(c)) } };
    },
  });

  router.route({
    method: 'GET',
    url: '/admin/v1/clients/:client_id',
    auth: 'admin',
    summary: 'Get a client',
    params,
    responses: { 200: { description: 'The client', json: ClientWire } },
    errors: ['CLIENT_NOT_FOUND'],
    async handler({ path }) {
      return { body: renderClient(await getClient(deps, path.client_id)) };
    },
  });

  router.route({
    method: 'PATCH',
    url: '/admin/v1/clients/:client_id',
    auth: 'admin',
    body,
    summary: 'Change enabled_modes, plan_status, allowed_redirect_hosts or frame_origins',
    params,
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: updateClientFields },
    responses: { 200: { description: 'The client as changed', json: ClientWire } },
    errors: ['CLIENT_NOT_FOUND'],
    async handler({ path, params }) {
      const v = validateFields(updateClientFields, params);
      requireSomeChange(v);
      const client = await updateClient(deps, path.client_id, toClientChanges(v));
      return { body: renderClient(client) };
    },
  });

  router.route({
    method: 'POST',
    url: '/admin/v1/clients/:client_id/rotate-keys',
    auth: 'admin',
    summary: 'Issue a new api_key and server_hash; the old ones stop working at once',
    params,
    responses: { 200: { description: 'The client with its new credentials', json: ClientWire } },
    errors: ['CLIENT_NOT_FOUND'],
    async handler({ path }) {
      const { client, credentials } = await rotateClientKeys(deps, path.client_id);
      return { body: renderClient(client, credentials) };
    },
  });
}
