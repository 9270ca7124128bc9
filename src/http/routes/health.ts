/** `GET /healthz`: 200 while the store answers, 503 when it does not. */
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { checkHealth } from '../../usecases/check-health.ts';
import type { Router } from '../route.ts';

const Health = Type.Object({ status: Type.Literal('ok'), store: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]) });

export function healthRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'GET',
    url: '/healthz',
    auth: 'none',
    unqueued: true,
    summary: 'Liveness and store check',
    responses: { 200: { description: 'The store answers', json: Health } },
    errors: ['SERVICE_UNAVAILABLE'],
    async handler() {
      const { store } = await checkHealth(deps);
      return { body: { status: 'ok' as const, store } };
    },
  });
}
