/** `GET /healthz`: 200 while the store answers, 503 when it does not. */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { AppError } from '../../errors/codes.ts';
import type { Router } from '../route.ts';

const STORE_TIMEOUT_MS = 2000;

const Health = Type.Object({ status: Type.Literal('ok'), store: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]) });

export function healthRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/healthz',
    auth: 'none',
    summary: 'Liveness and store check',
    responses: { 200: { description: 'The store answers', json: Health } },
    errors: ['SERVICE_UNAVAILABLE'],
    async handler() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), STORE_TIMEOUT_MS);
      });
      try {
        await Promise.race([deps.db.query('select 1'), timeout]);
      } catch {
        throw new AppError('SERVICE_UNAVAILABLE');
      } finally {
        clearTimeout(timer);
      }
      return { body: { status: 'ok' as const, store: deps.db.kind } };
    },
  });
}
