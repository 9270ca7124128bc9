/** Admin API for console users (ADMIN_TOKEN): an operator creates a client's first admin here or with `passbook users`. */
import { Type } from 'typebox';
import { createConsoleUser, disableConsoleUser, enableConsoleUser, listConsoleUsers } from '../../usecases/console-users.ts';
import type { Deps } from '../../usecases/deps.ts';
import { ConsoleUserList, ConsoleUserWire, MAX_CONSOLE_PARAMETERS, NewConsoleUserWire, newUserFields, readNewUser, renderConsoleUser, renderNewUser } from '../../wire/console-wire.ts';
import { Uuid } from '../../wire/wire-formats.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';

export function adminConsoleUserRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'POST',
    url: '/admin/v1/clients/:client_id/console-users',
    auth: 'admin',
    body: { maxParameters: MAX_CONSOLE_PARAMETERS },
    summary: "Create a console user of a client (a generated password is shown once)",
    params: Type.Object({ client_id: Uuid }),
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: newUserFields },
    responses: { 201: { description: 'Created', json: NewConsoleUserWire } },
    errors: ['CLIENT_NOT_FOUND', 'EMAIL_TAKEN'],
    async handler({ path, params }) {
      const created = await createConsoleUser(deps, { clientId: path.client_id, ...readNewUser(params) }, { kind: 'admin-api' });
      return { status: 201, body: renderNewUser(created) };
    },
  });

  router.route({
    method: 'GET',
    url: '/admin/v1/clients/:client_id/console-users',
    auth: 'admin',
    summary: "A client's console users",
    params: Type.Object({ client_id: Uuid }),
    responses: { 200: { description: 'Users', json: ConsoleUserList } },
    errors: ['CLIENT_NOT_FOUND'],
    async handler({ path }) {
      const users = await listConsoleUsers(deps, path.client_id);
      return { body: { count: users.length, users: users.map(renderConsoleUser) } };
    },
  });

  router.route({
    method: 'POST',
    url: '/admin/v1/console-users/:user_id/disable',
    auth: 'admin',
    summary: 'Disable a console user and end their sign-ins',
    params: Type.Object({ user_id: Uuid }),
    responses: { 200: { description: 'Disabled', json: ConsoleUserWire } },
    errors: ['CONSOLE_USER_NOT_FOUND'],
    async handler({ path }) {
      return { body: renderConsoleUser(await disableConsoleUser(deps, path.user_id, { kind: 'admin-api' }, null)) };
    },
  });

  router.route({
    method: 'POST',
    url: '/admin/v1/console-users/:user_id/enable',
    auth: 'admin',
    summary: 'Let a disabled console user sign in again, with their password',
    params: Type.Object({ user_id: Uuid }),
    responses: { 200: { description: 'Enabled', json: ConsoleUserWire } },
    errors: ['CONSOLE_USER_NOT_FOUND'],
    async handler({ path }) {
      return { body: renderConsoleUser(await enableConsoleUser(deps, path.user_id, { kind: 'admin-api' }, null)) };
    },
  });
}
