import type { ErrorCode } from './generated/operations.ts';

/**
 * A code the client gives when the server's answer carries none: a body that is not the error
 * envelope (a proxy's error page), a network failure, or a wait that ran out of time.
 */
export type ClientErrorCode = 'UNEXPECTED_RESPONSE' | 'NETWORK_ERROR' | 'WAIT_TIMEOUT';

/**
 * A refusal, with the server's error code (`{"error": {"code", "message"}}`) and HTTP status.
 * A newer server may answer a code this SDK's table does not list yet, hence the open string.
 */
export class PassbookError extends Error {
  override readonly name = 'PassbookError';
  readonly code: ErrorCode | ClientErrorCode | (string & {});
  /** The HTTP status; 0 when no answer came (NETWORK_ERROR, WAIT_TIMEOUT). */
  readonly status: number;
  /** The whole parsed body: some refusals carry more beside the error (an upload's session_id and statement_id). */
  readonly body: unknown;
  /** The server's x-request-id, which its logs are keyed by. */
  readonly requestId: string | undefined;

  constructor(init: { code: PassbookError['code']; message: string; status: number; body?: unknown; requestId?: string | undefined; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.body = init.body;
    this.requestId = init.requestId;
  }
}

export function isPassbookError(error: unknown, code?: PassbookError['code']): error is PassbookError {
  return error instanceof PassbookError && (code === undefined || error.code === code);
}
