/**
 * The one table of error codes. Each code has exactly one HTTP status and a default message;
 * the wire envelope is built from it only in `src/http/error-handler.ts`.
 *
 * Messages are kept verbatim from the BankConnect documentation where it gives one, because
 * lenders' integrations match on them.
 */
export const ERROR_CODES = {
  // Request shape
  INVALID_REQUEST: { status: 400, message: 'Something went wrong' },
  INVALID_PARAMETER_COUNT: { status: 400, message: 'Invalid number of parameters' },
  INVALID_LENGTH: { status: 400, message: 'Field length exceeds limit' },
  INVALID_URL: { status: 400, message: 'Enter a valid URL.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported media type' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is larger than the 1 MB limit.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  // Answered by the HTTP server itself, before any route (http/error-handler.ts, clientErrorHandler).
  REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time (HTTP_REQUEST_TIMEOUT_SECONDS).' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: 'This Idempotency-Key was already used with a different request body.',
  },

  // Authentication
  AUTHENTICATION_CREDENTIALS_NOT_PROVIDED: {
    status: 401,
    message: 'Authentication credentials were not provided',
  },
  PAYMENT_REQUIRED: { status: 402, message: 'Payment required' },
  ACCESS_DENIED: { status: 403, message: 'Authentication credentials were not provided' },

  // Banks and modes
  INVALID_BANK_NAME: { status: 400, message: 'Invalid bank identifier.' },
  MISSING_BANK_NAME: { status: 400, message: '`bank_name` is required with `mode`.' },
  MODE_NOT_AVAILABLE: { status: 400, message: 'Specified mode not available for this bank.' },
  MODE_NOT_ENABLED: { status: 403, message: 'Specified mode not enabled. Contact FinBox Admin.' },

  // Dates
  INVALID_DATE_FORMAT: {
    status: 400,
    message: 'Invalid `from_date` or `to_date` format. Use `DD/MM/YYYY`.',
  },
  INVALID_DATE_RANGE: { status: 400, message: '`from_date` cannot be greater or equal to `to_date`.' },
  MISSING_DATE_FIELD: { status: 400, message: '`from_date` and `to_date` are required.' },

  // Session inputs
  INVALID_MOBILE_NUMBER: { status: 400, message: 'Invalid mobile number.' },
  INVALID_SESSION_EXPIRY: {
    status: 400,
    message: 'Session expiry should be int, Min value is 5 and Max is 43200 in minutes',
  },
  INVALID_AA_PARAMETER: { status: 400, message: 'Tenure must be between 1 and 84' },
  MISSING_AA_PARAMETER: { status: 400, message: 'Frequency unit/value required' },

  // Sessions
  SESSION_NOT_FOUND: { status: 404, message: 'The provided session ID is invalid' },
  SESSION_DELETED: { status: 410, message: 'The provided session ID has been deleted' },
  PROCESSING_NOT_REQUESTED: { status: 400, message: 'Cannot proceed as the processing has not been requested yet' },
  PROCESSING_NOT_COMPLETED: { status: 400, message: 'The processing for this session is currently in progress' },
  DUPLICATE_PROCESSING_REQUEST: { status: 400, message: 'Request for processing have already been initiated' },
  UNPARSABLE_STATEMENTS: { status: 400, message: 'The uploaded statements are not parsable' },

  // Statements (upload and parsing)
  SESSION_EXPIRED: { status: 400, message: 'This session has expired' },
  TRIAL_PERIOD_EXPIRED: {
    status: 402,
    message: 'Your trial period has expired. Please request FinBox to upgrade your plan',
  },
  MISSING_FILE_OBJECT: { status: 400, message: 'This file object is required' },
  INVALID_FILE_OBJECT: { status: 400, message: 'File object is invalid' },
  EMPTY_FILE: { status: 400, message: 'File object is empty' },
  INVALID_FILE_URL: { status: 400, message: 'This file url is invalid' },
  INVALID_BASE_64: { status: 400, message: 'Invalid Base 64 string' },
  PASSWORD_INCORRECT: { status: 400, message: 'The provided password is incorrect' },
  PDF_IS_IMAGE: { status: 400, message: 'Scanned images are not supported' },
  STATEMENT_UNSUPPORTED_FORMAT: { status: 400, message: 'The statement format is not supported' },
  STATEMENT_DUPLICATE: { status: 400, message: 'A duplicate statement has been detected' },
  STATEMENT_TOO_MANY_PAGES: { status: 400, message: 'The statement has more pages than allowed' },
  OUT_OF_DATE_RANGE: { status: 400, message: 'No transactions in expected date range' },
  BANK_NAME_UNDETECTED: { status: 400, message: 'Unable to detect bank. Please provide BANK NAME.' },
  BANK_NAME_MISMATCH: { status: 400, message: 'Not {selected_bank_name} bank statement' },

  // Webhooks
  WEBHOOK_NOT_CONFIGURED: { status: 400, message: 'No webhook_url is configured; set one with update_webhook.' },
  WEBHOOK_EVENT_NOT_FOUND: { status: 404, message: 'This session has no webhook event with that event_id.' },
  WEBHOOK_DELIVERY_FAILED: { status: 400, message: 'The test webhook was not accepted by the receiver.' },

  // Account Aggregator (recurring pulls: bankconnect-api.md §2.13; the statuses are ours, docs/aa.md)
  INVALID_SESSION_ID: { status: 400, message: 'The session is invalid, expired or closed.' },
  INVALID_CONSENT_ID: { status: 400, message: 'No recurring consent with this consent_id is linked to your sessions.' },
  CONSENT_REVOKED: { status: 403, message: 'The consent is no longer active (revoked, paused or expired).' },
  CONSENT_OVERUSED: { status: 429, message: 'The consent allows no more fetches in this period.' },
  AA_UNAVAILABLE: { status: 502, message: 'The Account Aggregator could not be reached or gave an answer that could not be trusted.' },

  // Admin
  CLIENT_NOT_FOUND: { status: 404, message: 'No client with this client_id.' },

  // Console (docs/console.md)
  CONSOLE_SIGN_IN_REQUIRED: { status: 401, message: 'Sign in to the console.' },
  CONSOLE_SIGN_IN_FAILED: { status: 401, message: 'Email or password is incorrect.' },
  TOO_MANY_SIGN_IN_ATTEMPTS: { status: 429, message: 'Too many sign-in attempts. Try again later.' },
  CSRF_TOKEN_INVALID: { status: 403, message: 'The x-csrf-token header is missing or does not belong to this sign-in.' },
  CONSOLE_ROLE_FORBIDDEN: { status: 403, message: 'Only an admin may do this.' },
  CONSOLE_USER_NOT_FOUND: { status: 404, message: 'No console user with this user_id.' },
  EMAIL_TAKEN: { status: 409, message: 'A console user with this email already exists.' },

  // Server side
  SERVICE_UNAVAILABLE: { status: 503, message: 'The store is not answering.' },
  INTERNAL_ERROR: { status: 500, message: 'Internal server error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Second messages the documentation gives for codes that cover more than one rule. */
export const MESSAGES = {
  maxDateFormat: 'Invalid `max_from_date` or `max_to_date` format. Use `DD/MM/YYYY`.',
  maxDateRange: '`max_from_date` cannot be greater or equal to `max_to_date`.',
  maxDateMissing: '`max_from_date` and `max_to_date` are required.',
  aaNeedsBankAndMode: '`bank_name` and `mode` required',
  aaNeedsJourneyMode: '`aa_journey_mode` is required with recurring AA parameters',
  frequencyValueRange: 'Frequency value must be between 1 and 5',
  bankAliasConflict: 'bank, `bank` and `bank_name` name different banks; send one of them.',
  adminUnauthorized: 'Admin token missing or invalid.',
} as const;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra top-level fields some endpoints put beside `error` (e.g. upload's session_id). */
  readonly envelopeExtras: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, envelopeExtras?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.envelopeExtras = envelopeExtras;
  }
}

/** DRF-style field error: `INVALID_REQUEST` with `<field>, <message>`. */
export function fieldError(field: string, message: string): AppError {
  return new AppError('INVALID_REQUEST', `${field}, ${message}`);
}
