/** `POST /bank-connect/v1/session/`: create a session. */
import { createSession, type CreateSessionInput } from '../../usecases/create-session.ts';
import type { Deps } from '../../usecases/deps.ts';
import { AppError } from '../../errors/codes.ts';
import type { Router } from '../route.ts';
import { validateFields } from '../../wire/fields.ts';
import { createSessionFields, MAX_SESSION_PARAMETERS } from '../../wire/session-request.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function sessionRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'POST',
    url: '/bank-connect/v1/session/',
    auth: 'api-key',
    body: { maxParameters: MAX_SESSION_PARAMETERS },
    async handler({ request, params, client }) {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
        throw new AppError('INVALID_REQUEST', 'Idempotency-Key, Must be 1 to 255 printable ASCII characters.');
      }
      const input: CreateSessionInput = validateFields(createSessionFields, params);
      const result = await createSession(deps, client, input, key ? { key, body: params } : undefined);
      return {
        status: result.status,
        body: result.body,
        ...(result.replayed ? { headers: { 'idempotent-replayed': 'true' } } : {}),
      };
    },
  });
}
