/**
 * The OpenAPI 3 document, generated from the same field schemas that validate requests and
 * from the error-code table.
 */
import { ERROR_CODES } from '../errors/codes.ts';
import { toJsonSchema } from '../wire/fields.ts';
import { createClientFields, updateClientFields } from '../wire/clients.ts';
import { createSessionFields } from '../wire/session-request.ts';
import { uploadFields } from '../wire/upload-request.ts';
import { updateWebhookFields } from '../wire/webhook-request.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errors = (...codes: (keyof typeof ERROR_CODES)[]) =>
  Object.fromEntries(
    [...new Set(codes.map((c) => ERROR_CODES[c].status))].map((status) => [
      String(status),
      {
        description: codes.filter((c) => ERROR_CODES[c].status === status).join(', '),
        content: json(ref('Error')),
      },
    ]),
  );

const dataAuth = [{ apiKey: [], serverHash: [] }];
const sessionIdParam = { name: 'session_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const clientIdParam = { name: 'client_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

const nullableString = { type: ['string', 'null'] };

export function buildOpenApiDocument(publicUrl: string): Record<string, unknown> {
  const sessionBody = toJsonSchema(createSessionFields);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Passbook',
      version: '0.1.0',
      description: 'Self-hostable bank-statement connect service, wire-compatible with the BankConnect API.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        serverHash: { type: 'apiKey', in: 'header', name: 'server-hash' },
        admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string', enum: Object.keys(ERROR_CODES) }, message: { type: 'string' } },
            },
          },
        },
        CreateSessionRequest: sessionBody,
        CreateSessionResponse: {
          type: 'object',
          required: ['session_id', 'redirect_url'],
          properties: { session_id: { type: 'string', format: 'uuid' }, redirect_url: { type: 'string', format: 'uri' } },
        },
        SessionDetails: {
          type: 'object',
          properties: {
            session_id: { type: 'string', format: 'uuid' },
            link_id: { type: 'string' },
            status: { type: 'string', enum: ['created', 'expired'] },
            created_at: { type: 'string', format: 'date-time' },
            expires_at: { type: 'string', format: 'date-time' },
            from_date: { type: 'string', example: '21/05/2026' },
            to_date: { type: 'string', example: '21/11/2026' },
            months: { type: 'array', items: { type: 'string', example: '2026-05' } },
            max_from_date: nullableString,
            max_to_date: nullableString,
            bank_name: nullableString,
            mode: { type: ['string', 'null'], enum: ['pdf', 'aa', 'online', null] },
            journey_mode: nullableString,
            redirect_url: nullableString,
            logo_url: nullableString,
            mobile_number: nullableString,
            is_mobile_field_editable: { type: 'boolean' },
            accept_anything: { type: 'boolean' },
            aa: {
              type: ['object', 'null'],
              properties: {
                journey_mode: { type: 'string' },
                recurring_tenure_month: { type: ['integer', 'null'] },
                recurring_frequency_unit: nullableString,
                recurring_frequency_value: { type: ['integer', 'null'] },
              },
            },
            metadata: { type: ['object', 'null'], additionalProperties: { type: 'array', items: { type: 'string' } } },
          },
        },
        Bank: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            full_name: { type: 'string' },
            npci_code: nullableString,
            logo_url: { type: 'string', format: 'uri' },
            is_pdf_upload_available: { type: 'boolean' },
            is_net_banking_available: { type: 'boolean' },
            is_aa_available: { type: 'boolean' },
          },
        },
        Client: {
          type: 'object',
          properties: {
            client_id: { type: 'string', format: 'uuid' },
            name: { type: 'string' },
            api_key: { type: 'string', description: 'Only in the answers of create and rotate-keys.' },
            server_hash: { type: 'string', description: 'Only in the answers of create and rotate-keys.' },
            enabled_modes: { type: 'array', items: { type: 'string' } },
            plan_status: { type: 'string' },
            allowed_redirect_hosts: { type: 'array', items: { type: 'string' } },
            frame_origins: { type: 'array', items: { type: 'string' } },
            created_at: { type: 'string', format: 'date-time' },
            updated_at: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
    paths: {
      '/bank-connect/v1/session/': {
        post: {
          summary: 'Create a session',
          description:
            'api_key may be sent in the body or the x-api-key header. Accepts JSON, form-urlencoded and multipart bodies. An Idempotency-Key header makes retries safe for 24 hours.',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('CreateSessionRequest') },
              'application/x-www-form-urlencoded': { schema: ref('CreateSessionRequest') },
              'multipart/form-data': { schema: ref('CreateSessionRequest') },
            },
          },
          responses: {
            '200': { description: 'Session created', content: json(ref('CreateSessionResponse')) },
            ...errors(
              'INVALID_REQUEST', 'INVALID_PARAMETER_COUNT', 'INVALID_LENGTH', 'INVALID_URL', 'INVALID_BANK_NAME',
              'MISSING_BANK_NAME', 'MODE_NOT_AVAILABLE', 'INVALID_DATE_FORMAT', 'INVALID_DATE_RANGE', 'MISSING_DATE_FIELD',
              'INVALID_MOBILE_NUMBER', 'INVALID_SESSION_EXPIRY', 'INVALID_AA_PARAMETER', 'MISSING_AA_PARAMETER',
              'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED', 'PAYMENT_REQUIRED', 'MODE_NOT_ENABLED', 'METHOD_NOT_ALLOWED',
              'IDEMPOTENCY_KEY_REUSED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE',
            ),
          },
        },
      },
      '/bank-connect/v1/session_data/{session_id}/details/': {
        get: {
          summary: 'Read a session back',
          security: dataAuth,
          parameters: [sessionIdParam],
          responses: {
            '200': { description: 'The stored session', content: json(ref('SessionDetails')) },
            ...errors('ACCESS_DENIED', 'SESSION_NOT_FOUND'),
          },
        },
      },
      '/bank-connect/v1/banks/catalogue/': {
        get: {
          summary: 'Bank catalogue',
          security: dataAuth,
          responses: {
            '200': {
              description: 'Banks',
              content: json({ type: 'object', properties: { count: { type: 'integer' }, banks: { type: 'array', items: ref('Bank') } } }),
            },
            ...errors('ACCESS_DENIED'),
          },
        },
      },
      '/bank-connect/v1/statement/upload_session/': {
        post: {
          summary: 'Upload a statement into a session (parsed at once)',
          security: [{ apiKey: [] }],
          parameters: [{ name: 'identity', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  ...toJsonSchema(uploadFields),
                  properties: {
                    ...(toJsonSchema(uploadFields).properties as Record<string, unknown>),
                    file: { type: 'string', format: 'binary', description: 'The statement PDF (or its Base64 text when upload_type=BASE64).' },
                    pdf_password: { type: 'string', description: 'Password of a protected PDF; never stored or logged.' },
                  },
                },
              },
            },
          },
          responses: {
            '200': { description: 'Parsed and stored: bank, statement and account ids, identity, date range, balances, months, missing months, checks' },
            ...errors(
              'SESSION_NOT_FOUND', 'SESSION_DELETED', 'SESSION_EXPIRED', 'TRIAL_PERIOD_EXPIRED', 'ACCESS_DENIED', 'MISSING_FILE_OBJECT',
              'INVALID_FILE_OBJECT', 'EMPTY_FILE', 'INVALID_FILE_URL', 'INVALID_BASE_64', 'PASSWORD_INCORRECT', 'PDF_IS_IMAGE',
              'STATEMENT_UNSUPPORTED_FORMAT', 'STATEMENT_DUPLICATE', 'STATEMENT_TOO_MANY_PAGES', 'OUT_OF_DATE_RANGE',
              'BANK_NAME_UNDETECTED', 'BANK_NAME_MISMATCH', 'PAYLOAD_TOO_LARGE',
            ),
          },
        },
      },
      ...Object.fromEntries(
        (
          [
            ['session_upload_status', 'get', 'Upload status: accounts, statements, covered months and gaps', []],
            ['initiate_processing', 'post', 'Uploads are done: start processing (202)', ['DUPLICATE_PROCESSING_REQUEST', 'UNPARSABLE_STATEMENTS']],
            ['progress', 'get', 'Processing progress per statement', ['PROCESSING_NOT_REQUESTED']],
            ['session_status', 'get', 'Per-account processing outcome', ['PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED']],
            ['insights', 'get', 'Account details and every transaction, with page and box', ['PROCESSING_NOT_REQUESTED', 'PROCESSING_NOT_COMPLETED']],
            ['get_pdfs', 'get', 'Signed one-hour download links for the uploaded PDFs', []],
            ['delete', 'delete', 'Delete the session\'s files and data', []],
          ] as const
        ).map(([name, method, summary, extra]) => [
          `/bank-connect/v1/session_data/{session_id}/${name}/`,
          {
            [method]: {
              summary,
              security: dataAuth,
              parameters: [sessionIdParam],
              responses: {
                [method === 'post' ? '202' : '200']: { description: 'OK' },
                ...errors('ACCESS_DENIED', 'SESSION_NOT_FOUND', 'SESSION_DELETED', ...extra),
              },
            },
          },
        ]),
      ),
      '/bank-connect/v1/session_data/update_webhook/': {
        post: {
          summary: 'Set the webhook URL (https, public address); the first call also returns the signing secret, once',
          security: dataAuth,
          requestBody: { required: true, content: json(toJsonSchema(updateWebhookFields)) },
          responses: {
            '200': { description: '{"message": "success"} (plus webhook_secret when it was created)' },
            ...errors('ACCESS_DENIED', 'INVALID_REQUEST', 'INVALID_URL'),
          },
        },
      },
      '/bank-connect/v1/session_data/rotate_webhook_secret/': {
        post: {
          summary: 'A new webhook signing secret; the previous one keeps signing for 24 hours',
          security: dataAuth,
          responses: { '200': { description: 'webhook_secret and previous_secret_valid_until' }, ...errors('ACCESS_DENIED') },
        },
      },
      '/bank-connect/v1/session_data/send_test_webhook/': {
        post: {
          summary: 'One signed TEST_NOTIFICATION to the webhook URL, now',
          security: dataAuth,
          responses: {
            '200': { description: 'event_id, status_code, latency_ms' },
            ...errors('ACCESS_DENIED', 'WEBHOOK_NOT_CONFIGURED', 'WEBHOOK_DELIVERY_FAILED'),
          },
        },
      },
      '/bank-connect/v1/session_data/{session_id}/webhook_payloads/': {
        get: {
          summary: "The session's webhook events, newest first, with their payloads and every delivery attempt",
          security: dataAuth,
          parameters: [sessionIdParam],
          responses: { '200': { description: 'session_id and payloads' }, ...errors('ACCESS_DENIED', 'SESSION_NOT_FOUND', 'SESSION_DELETED') },
        },
      },
      '/bank-connect/v1/session_data/{session_id}/webhook_payloads/{event_id}/replay/': {
        post: {
          summary: 'Send an event again (same event_id and body, fresh retry window)',
          security: dataAuth,
          parameters: [sessionIdParam, { name: 'event_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '202': { description: 'Queued' },
            ...errors('ACCESS_DENIED', 'SESSION_NOT_FOUND', 'SESSION_DELETED', 'WEBHOOK_EVENT_NOT_FOUND', 'WEBHOOK_NOT_CONFIGURED'),
          },
        },
      },
      '/healthz': {
        get: { summary: 'Liveness and store check', responses: { '200': { description: 'OK' }, ...errors('SERVICE_UNAVAILABLE') } },
      },
      '/admin/v1/clients': {
        post: {
          summary: 'Create a client (shows its api_key and server_hash once)',
          security: [{ admin: [] }],
          requestBody: { required: true, content: json(toJsonSchema(createClientFields)) },
          responses: { '201': { description: 'Created', content: json(ref('Client')) }, ...errors('INVALID_REQUEST', 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED') },
        },
        get: {
          summary: 'List clients (no secrets)',
          security: [{ admin: [] }],
          responses: {
            '200': { description: 'Clients', content: json({ type: 'object', properties: { count: { type: 'integer' }, clients: { type: 'array', items: ref('Client') } } }) },
            ...errors('AUTHENTICATION_CREDENTIALS_NOT_PROVIDED'),
          },
        },
      },
      '/admin/v1/clients/{client_id}': {
        get: {
          summary: 'Get a client',
          security: [{ admin: [] }],
          parameters: [clientIdParam],
          responses: { '200': { description: 'Client', content: json(ref('Client')) }, ...errors('CLIENT_NOT_FOUND', 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED') },
        },
        patch: {
          summary: 'Change enabled_modes, plan_status or allowed_redirect_hosts',
          security: [{ admin: [] }],
          parameters: [clientIdParam],
          requestBody: { required: true, content: json(toJsonSchema(updateClientFields)) },
          responses: { '200': { description: 'Client', content: json(ref('Client')) }, ...errors('INVALID_REQUEST', 'CLIENT_NOT_FOUND', 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED') },
        },
      },
      '/admin/v1/clients/{client_id}/rotate-keys': {
        post: {
          summary: 'Issue a new api_key and server_hash; the old ones stop working at once',
          security: [{ admin: [] }],
          parameters: [clientIdParam],
          responses: { '200': { description: 'Client with new credentials', content: json(ref('Client')) }, ...errors('CLIENT_NOT_FOUND', 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED') },
        },
      },
    },
  };
}
