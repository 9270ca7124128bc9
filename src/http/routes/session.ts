/** `POST /bank-connect/v1/session/` and `/v2/session/`: create a session. */
import { createSession, createSessionV2, type CreateSessionInput, type CreateSessionResult, type CreateSessionV2Input, type IdempotentRequest } from '../../usecases/create-session.ts';
import type { Deps } from '../../usecases/deps.ts';
import type { Client } from '../../domain/client.ts';
import { AppError, type ErrorCode } from '../../errors/codes.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';
import { Type } from 'typebox';
import { validateFields, type Fields } from '../../wire/fields.ts';
import { createSessionFields, createSessionV2Fields, MAX_SESSION_PARAMETERS } from '../../wire/session-request.ts';
import { CreateSessionResponse } from '../../wire/session-wire.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const ERRORS: readonly ErrorCode[] = [
  'INVALID_LENGTH', 'INVALID_URL', 'INVALID_BANK_NAME', 'MISSING_BANK_NAME', 'MODE_NOT_AVAILABLE', 'MODE_NOT_ENABLED',
  'INVALID_DATE_FORMAT', 'INVALID_DATE_RANGE', 'MISSING_DATE_FIELD', 'INVALID_MOBILE_NUMBER', 'INVALID_SESSION_EXPIRY',
  'INVALID_AA_PARAMETER', 'MISSING_AA_PARAMETER', 'IDEMPOTENCY_KEY_REUSED',
];

interface SessionVersion {
  url: string;
  summary: string;
  description: string;
  fields: Fields;
  component: string;
  create(client: Client, params: Record<string, unknown>, idempotent: IdempotentRequest | undefined): Promise<CreateSessionResult>;
}

/** Journey codes are matched in any case, as bank names are (V2's examples write `"bank": "HDFC"`). */
function withJourneyCodeUpperCased(params: Record<string, unknown>): Record<string, unknown> {
  const code = params.aa_journey_code;
  return typeof code === 'string' ? { ...params, aa_journey_code: code.trim().toUpperCase() } : params;
}

export function sessionRoutes(router: Router, deps: Deps): void {
  const versions: SessionVersion[] = [
    {
      url: '/bank-connect/v1/session/',
      summary: 'Create a session',
      description:
        'api_key may be sent in the body or the x-api-key header. Accepts JSON, form-urlencoded and multipart bodies. An Idempotency-Key header makes retries safe for 24 hours.',
      fields: createSessionFields,
      component: 'CreateSessionRequest',
      create(client, params, idempotent) {
        const input: CreateSessionInput = validateFields(createSessionFields, params);
        return createSession(deps, client, input, idempotent);
      },
    },
    {
      url: '/bank-connect/v2/session/',
      summary: 'Create a session (Session API v2)',
      description:
        "v1's parameters and errors, with aa_journey_code and consents instead of v1's four AA parameters, and bank as another name for bank_name. The redirect_url carries a signed token, which the journey needs. api_key may be sent in the body or the x-api-key header. An Idempotency-Key header makes retries safe for 24 hours (v1 and v2 keep their keys apart).",
      fields: createSessionV2Fields,
      component: 'CreateSessionV2Request',
      create(client, params, idempotent) {
        const input: CreateSessionV2Input = validateFields(createSessionV2Fields, withJourneyCodeUpperCased(params));
        return createSessionV2(deps, client, input, idempotent);
      },
    },
  ];

  for (const version of versions) {
    router.route({
      method: 'POST',
      url: version.url,
      auth: 'api-key',
      startsWork: true,
      body: { maxParameters: MAX_SESSION_PARAMETERS },
      summary: version.summary,
      description: version.description,
      headers: Type.Object({
        'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$', description: 'Replays of the same body within 24 hours get the first answer (with Idempotent-Replayed: true).' })),
      }),
      requestBody: {
        consumes: PARAMETER_MEDIA_TYPES,
        fields: version.fields,
        component: version.component,
      },
      responses: {
        200: { description: 'Session created (or replayed)', json: CreateSessionResponse, headers: { 'idempotent-replayed': '"true" when this is the stored answer to an earlier request with the same Idempotency-Key.' } },
      },
      errors: ERRORS,
      async handler({ request, params, client }) {
        const key = request.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
          throw new AppError('INVALID_REQUEST', 'Idempotency-Key, Must be 1 to 255 printable ASCII characters.');
        }
        const result = await version.create(client, params, key ? { key, body: params } : undefined);
        return {
          status: result.status,
          body: result.body,
          ...(result.replayed ? { headers: { 'idempotent-replayed': 'true' } } : {}),
        };
      },
    });
  }
}
