/**
 * Reads a request's parameters from a JSON, form-urlencoded or multipart body into one flat
 * object. A parameter given twice is INVALID_PARAMETER_COUNT; other content types are 415.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.ts';
import { unsupportedMediaType } from './error-handler.ts';
import { readMultipart } from './multipart-body.ts';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The media types `readParams` reads. */
export const PARAMETER_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'] as const;

/** Where the JSON parser keeps the body's bytes, for routes that verify a signature over them. */
const RAW_BODY = Symbol('rawBody');

/** The exact bytes of a JSON request body (the AA signs them); null for other bodies. */
export function rawBodyOf(request: FastifyRequest): Buffer | null {
  return (request as FastifyRequest & { [RAW_BODY]?: Buffer })[RAW_BODY] ?? null;
}

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  // Fastify's own JSON parser (prototype-poisoning checks included), keeping the bytes it read.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    (request as FastifyRequest & { [RAW_BODY]?: Buffer })[RAW_BODY] = body as Buffer;
    const keepInvalid = request.routeOptions.config.rawInvalidJson === true;
    void parseJson(request, (body as Buffer).toString('utf8'), (error, value) => (error && keepInvalid ? done(null, undefined) : done(error, value)));
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const out = Object.create(null) as Record<string, string>;
    for (const [key, value] of new URLSearchParams(body as string)) {
      if (key in out) return done(new AppError('INVALID_PARAMETER_COUNT', `Invalid number of parameters: "${key}" is given more than once.`), undefined);
      out[key] = value;
    }
    done(null, out);
  });
}

export async function readParams(request: FastifyRequest, maxParameters: number): Promise<Record<string, unknown>> {
  let params: Record<string, unknown>;
  if (request.isMultipart()) {
    params = await readMultipartFields(request, maxParameters);
  } else if (request.headers['content-type'] === undefined) {
    throw unsupportedMediaType(undefined);
  } else if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
    throw new AppError('INVALID_REQUEST', 'The request body must be a JSON object.');
  } else {
    params = request.body as Record<string, unknown>;
  }
  if (Object.keys(params).length > maxParameters) throw new AppError('INVALID_PARAMETER_COUNT');
  return params;
}

async function readMultipartFields(request: FastifyRequest, maxParameters: number): Promise<Record<string, unknown>> {
  const params = Object.create(null) as Record<string, unknown>;
  try {
    // One field more than the route takes is refused as it arrives, not after the whole form.
    await readMultipart(request, { fields: maxParameters }, (part) => {
      if (part.type === 'file') {
        part.file.resume();
        throw new AppError('INVALID_REQUEST', `${part.fieldname}, Files are not accepted by this endpoint.`);
      }
      if (part.fieldname in params) {
        throw new AppError('INVALID_PARAMETER_COUNT', `Invalid number of parameters: "${part.fieldname}" is given more than once.`);
      }
      params[part.fieldname] = part.value;
    });
  } catch (error) {
    // The multipart parser reports a broken body (no boundary, truncated parts) as a plain Error;
    // limits and our own refusals carry a code and are rendered as they are.
    if (error instanceof AppError || (error as { code?: unknown }).code !== undefined) throw error;
    throw new AppError('INVALID_REQUEST', `Malformed multipart body: ${(error as Error).message}`);
  }
  return params;
}
