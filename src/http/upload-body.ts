/**
 * Reads an upload request: multipart form fields plus at most one file part (`file`), or a
 * form-urlencoded body (BASE64 uploads). Anything else is INVALID_FILE_OBJECT, as documented:
 * the file must come as a form field.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.ts';
import { readMultipart } from './multipart-body.ts';

export interface UploadBody {
  fields: Record<string, string>;
  file: { bytes: Buffer; fileName: string | null } | null;
}

const NOT_A_FORM = 'This field must be present as a form field. Send request with correct content type';

export async function readUploadBody(request: FastifyRequest, maxFileBytes: number): Promise<UploadBody> {
  const fields = Object.create(null) as Record<string, string>;
  if (!request.isMultipart()) {
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded') || typeof request.body !== 'object' || request.body === null) {
      throw new AppError('INVALID_FILE_OBJECT', NOT_A_FORM);
    }
    for (const [k, v] of Object.entries(request.body as Record<string, unknown>)) fields[k] = String(v);
    return { fields, file: null };
  }
  let file: UploadBody['file'] = null;
  try {
    // The route's body limit bounds the whole form (a Base64 `file` field included), besides the
    // file part's own limit and the plugin's field count (app.ts).
    await readMultipart(request, { fileSize: maxFileBytes, files: 1 }, async (part) => {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          return;
        }
        const bytes = await part.toBuffer();
        file = { bytes, fileName: part.filename || null };
      } else if (typeof part.value === 'string') {
        if (part.fieldname in fields) throw new AppError('INVALID_PARAMETER_COUNT', `Invalid number of parameters: "${part.fieldname}" is given more than once.`);
        fields[part.fieldname] = part.value;
      }
    });
  } catch (error) {
    if (error instanceof AppError || (error as { code?: unknown }).code !== undefined) throw error;
    throw new AppError('INVALID_FILE_OBJECT', `Malformed multipart body: ${(error as Error).message}`);
  }
  return { fields, file };
}
