/** `POST /bank-connect/v1/session/`: create a session. */
import { createSession, type CreateSessionInput } from '../../usecases/create-session.ts';
import type { Deps } from '../../usecases/deps.ts';
import { AppError } from '../../errors/codes.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';
import { Type } from 'typebox';
import { validateFields } from '../../wire/fields.ts';
import { createSessionFields, MAX_SESSION_PARAMETERS } from '../../wire/session-request.ts';
import { CreateSessionResponse } from '../../wire/session-wire.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function sessionRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'POST',
    url: '/bank-connect/v1/session/',
    auth: 'api-key',
    startsWork: true,
    body: { maxParameters: MAX_SESSION_PARAMETERS },
    summary: 'Create a session',
    description:
      'api_key may be sent in the body or the x-api-key header. Accepts JSON, form-urlencoded and multipart bodies. An Idempotency-Key header makes retries safe for 24 hours.',
    headers: Type.Object({
      'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$', description: 'Replays of the same body within 24 hours get the first answer (with Idempotent-Replayed: true).' })),
    }),
    requestBody: {
      consumes: PARAMETER_MEDIA_TYPES,
      fields: createSessionFields,
      component: 'CreateSessionRequest',
    },
    responses: {
      200: { description: 'Session created (or replayed)', json: CreateSessionResponse, headers: { 'idempotent-replayed': '"true" when this is the stored answer to an earlier request with the same Idempotency-Key.' } },
    },
    errors: [
      'INVALID_LENGTH', 'INVALID_URL', 'INVALID_BANK_NAME', 'MISSING_BANK_NAME', 'MODE_NOT_AVAILABLE', 'MODE_NOT_ENABLED',
      'INVALID_DATE_FORMAT', 'INVALID_DATE_RANGE', 'MISSING_DATE_FIELD', 'INVALID_MOBILE_NUMBER', 'INVALID_SESSION_EXPIRY',
      'INVALID_AA_PARAMETER', 'MISSING_AA_PARAMETER', 'IDEMPOTENCY_KEY_REUSED',
    ],
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
