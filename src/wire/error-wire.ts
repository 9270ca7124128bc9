/**
 * The error envelope every failure answers with: `{"error": {"code", "message"}}`, plus the
 * extra top-level fields some endpoints put beside it (upload's session_id and statement_id,
 * send_test_webhook's delivery outcome), hence open at the top level.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { ERROR_CODES, type AppError, type ErrorCode } from '../errors/codes.ts';

export const ErrorCodeSchema = Type.Unsafe<ErrorCode>({ type: 'string', enum: Object.keys(ERROR_CODES) });

/** Its name in /openapi.json's components.schemas, which every error response refers to. */
export const ERROR_SCHEMA_ID = 'Error';

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({ code: ErrorCodeSchema, message: Type.String() }, { additionalProperties: false }),
  },
  { $id: ERROR_SCHEMA_ID, description: 'The error envelope; `code` is one of the error-code table.' },
);
export type ErrorEnvelope = Static<typeof ErrorEnvelope>;

/**
 * Another API family's error shapes (the entity flow's, wire/entity-wire.ts): a route that
 * declares one has its errors rendered by it instead of the envelope above, in the one place
 * errors are rendered (http/error-handler.ts), and documented and checked with its schema.
 */
export interface ErrorWire {
  /** Its name in /openapi.json's components.schemas. */
  schemaId: string;
  /** Every body `render` may answer with. */
  schema: TSchema;
  render(error: AppError): { status: number; body: unknown };
}
