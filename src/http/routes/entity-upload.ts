/**
 * The entity flow's uploads: `statement/upload/`, `bankless_upload/`, `upload_base64/` and
 * `bankless_upload_base64/`. One handler serves all four, leniently: a file part or Base64 text
 * in `file` (or `file_url`), `bank_name` (or the older `bank`) whenever given, detected when not.
 * Processing starts by itself after the upload. Refusals carry the entity flow's numeric
 * `status` (wire/entity-wire.ts).
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../usecases/deps.ts';
import { uploadToEntity } from '../../usecases/entity.ts';
import { entityUploadErrorWire, entityUploadFields, EntityUploadResponse, renderEntityUpload } from '../../wire/entity-wire.ts';
import { validateFields } from '../../wire/fields.ts';
import type { Router } from '../route.ts';
import { readUploadBody, type UploadBody } from '../upload-body.ts';
import { withEntityId } from './entity.ts';

const VARIANTS = [
  ['upload', 'Upload a statement PDF into an entity (the bank is checked when bank_name is given, detected otherwise)'],
  ['bankless_upload', 'Upload a statement PDF into an entity; the bank is detected'],
  ['upload_base64', 'Upload a statement as Base64 text into an entity'],
  ['bankless_upload_base64', 'Upload a statement as Base64 text into an entity; the bank is detected'],
] as const;

const TRUE = new Set(['true', 'True', 'TRUE', '1']);

/** The form, as the session upload reads it; a JSON object is taken too (Base64 clients send one). */
async function readEntityUploadBody(request: FastifyRequest, maxFileBytes: number): Promise<UploadBody> {
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/json') && typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)) {
    const fields = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(request.body as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    return { fields, file: null };
  }
  return readUploadBody(request, maxFileBytes);
}

export function entityUploadRoutes(router: Router, deps: Deps): void {
  for (const [variant, summary] of VARIANTS) {
    router.route({
      method: 'POST',
      url: `/bank-connect/v1/statement/${variant}/`,
      auth: 'upload-api-key',
      startsWork: true,
      // Base64 bodies are a third larger than the file; multipart files are capped per part.
      bodyLimit: Math.ceil(deps.limits.maxBytes * 1.4) + 64 * 1024,
      summary,
      description: 'The statement goes to entity_id, else to the link_id\'s entity (created on first use), and is processed by itself. Passwords are never stored.',
      querystring: Type.Object({ identity: Type.Optional(Type.String({ description: 'true: include identity, date range and fraud in the answer.' })) }),
      requestBody: {
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
        fields: entityUploadFields,
        extra: {
          file: Type.String({ description: 'The statement PDF as a file part, or its Base64 text.' }),
          pdf_password: Type.String({ description: 'Password of a protected PDF; never stored or logged.' }),
        },
      },
      responses: { 200: { description: 'Stored; processing started', json: EntityUploadResponse } },
      errors: [
        'INVALID_REQUEST', 'INVALID_LENGTH', 'SESSION_DELETED', 'SESSION_EXPIRED', 'MISSING_FILE_OBJECT', 'INVALID_FILE_OBJECT', 'EMPTY_FILE',
        'INVALID_FILE_URL', 'INVALID_BASE_64', 'PASSWORD_INCORRECT', 'PDF_IS_IMAGE', 'STATEMENT_UNSUPPORTED_FORMAT', 'STATEMENT_DUPLICATE',
        'STATEMENT_TOO_MANY_PAGES', 'BANK_NAME_UNDETECTED', 'BANK_NAME_MISMATCH',
      ],
      errorWire: entityUploadErrorWire,
      async handler({ request, client }) {
        let entityId: string | null = null;
        try {
          const body = await readEntityUploadBody(request, deps.limits.maxBytes);
          const v = validateFields(entityUploadFields, body.fields);
          const base64 = body.file === null && typeof body.fields.file === 'string' && body.fields.file !== '' ? body.fields.file : null;
          const result = await uploadToEntity(
            deps,
            client,
            {
              entityId: v.entity_id ?? null,
              linkId: v.link_id ?? null,
              uploadType: base64 === null ? 'PDF' : 'BASE64',
              file: body.file,
              fileBase64: base64,
              fileUrl: v.file_url?.toString() ?? null,
              bankName: v.bank_name ?? v.bank ?? null,
              // Passwords are taken as sent: spaces may be part of them.
              pdfPassword: body.fields.pdf_password || null,
            },
            (id) => {
              entityId = id;
            },
          );
          const { parsed } = result;
          const query = request.query as Record<string, string | undefined>;
          const uploaded = {
            entityId: result.session.sessionId,
            statementId: result.statementId,
            accountId: result.accountId,
            bankName: result.bankName,
            identity: parsed.identity,
            period: { from: parsed.period?.from ?? parsed.transactions[0]?.date ?? null, to: parsed.period?.to ?? parsed.transactions.at(-1)?.date ?? null },
            fraudTypes: (parsed.fraudFindings ?? []).map((f) => f.fraudType),
          };
          return { body: renderEntityUpload(uploaded, TRUE.has(query.identity ?? '')) };
        } catch (error) {
          throw withEntityId(error, entityId);
        }
      },
    });
  }
}
