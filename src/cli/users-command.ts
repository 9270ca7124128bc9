/**
 * `passbook users …`: console users, on the configured store (as `passbook clients`). Without
 * --password a password is generated and printed once: a password given on the command line
 * shows in the process list and the shell's history.
 */
import type { Config } from '../config.ts';
import { compose } from '../compose.ts';
import { createConsoleUser, disableConsoleUser, enableConsoleUser, listConsoleUsers } from '../usecases/console-users.ts';
import { readNewUser, renderConsoleUser, renderNewUser } from '../wire/console-wire.ts';
import { UsageError, type UsersCommand } from './usage.ts';

export async function runUsers(config: Config, command: UsersCommand, id: string | undefined, values: Record<string, string | boolean | undefined>): Promise<unknown> {
  if ((command === 'create' || command === 'list') && typeof values.client !== 'string') throw new UsageError(`passbook users ${command} needs --client CLIENT_ID`);
  if ((command === 'disable' || command === 'enable') && !id) throw new UsageError(`passbook users ${command} needs a USER_ID`);
  const composition = await compose(config);
  const { deps } = composition;
  try {
    switch (command) {
      case 'create': {
        const input = readNewUser({ email: values.email, name: values.name, role: values.role, password: values.password });
        return renderNewUser(await createConsoleUser(deps, { clientId: values.client as string, ...input }, { kind: 'cli' }));
      }
      case 'list': {
        const users = await listConsoleUsers(deps, values.client as string);
        return { count: users.length, users: users.map(renderConsoleUser) };
      }
      case 'disable':
        return renderConsoleUser(await disableConsoleUser(deps, id!, { kind: 'cli' }, null));
      case 'enable':
        return renderConsoleUser(await enableConsoleUser(deps, id!, { kind: 'cli' }, null));
    }
  } finally {
    await composition.close();
  }
}
