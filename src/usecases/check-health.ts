/** Whether this process can serve: the store answers its health ping (Db.ping) within a bound. */
import { AppError } from '../errors/codes.ts';
import type { Deps } from './deps.ts';

const STORE_TIMEOUT_MS = 2000;

export async function checkHealth(deps: Pick<Deps, 'db'>): Promise<{ store: 'pglite' | 'postgres' }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), STORE_TIMEOUT_MS);
  });
  try {
    await Promise.race([deps.db.ping(), timeout]);
  } catch {
    throw new AppError('SERVICE_UNAVAILABLE');
  } finally {
    clearTimeout(timer);
  }
  return { store: deps.db.kind };
}
