/**
 * The only place the wire error envelope is built: `{"error": {"code", "message"}}`, plus the
 * extra top-level fields an endpoint asks for. Framework errors are mapped onto the code table;
 * anything unexpected becomes a 500 whose details go to the log, never to the client.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.ts';
import { DEFAULT_SECURITY_HEADERS } from './security-headers.ts';
import type { ErrorEnvelope } from '../wire/error-wire.ts';

export function errorBody(error: AppError): ErrorEnvelope {
  return { ...error.envelopeExtras, error: { code: error.code, message: error.message } };
}

const MULTIPART_COUNT_LIMITS = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

/** Maps anything thrown while serving a request onto an AppError. */
export function toAppError(error: unknown, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const e = error as Partial<FastifyError>;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request.headers['content-type']);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The file is larger than the upload limit (MAX_UPLOAD_MB).');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_REQUEST', `JSON parse error - ${e.message}`);
  }
  if (e.code && MULTIPART_COUNT_LIMITS.has(e.code)) return new AppError('INVALID_PARAMETER_COUNT');
  // Other client-side failures the framework detects (bad Content-Length, broken multipart, …).
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
    if (e.statusCode === 415) return unsupportedMediaType(request.headers['content-type']);
    return new AppError('INVALID_REQUEST', e.message ? `Malformed request: ${e.message}` : undefined);
  }
  return new AppError('INTERNAL_ERROR');
}

export function unsupportedMediaType(contentType: string | undefined): AppError {
  return new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    contentType ? `Unsupported media type "${contentType.split(';')[0]!.trim()}" in request.` : 'Missing Content-Type header.',
  );
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  return reply.status(error.status).type('application/json; charset=utf-8').send(errorBody(error));
}

/**
 * Requests Node's HTTP server refuses before Fastify sees them: too slow (HTTP_REQUEST_TIMEOUT_SECONDS,
 * HTTP_HEADERS_TIMEOUT_SECONDS), headers too large, or not HTTP. No route runs, so the answer is
 * written to the socket here, in the envelope, and the connection closed (Fastify's default
 * handler does the same in its own shape).
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new AppError('REQUEST_TIMEOUT')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('HEADERS_TOO_LARGE')
        : new AppError('INVALID_REQUEST', 'Malformed HTTP request.');
  this.log.info({ code: appError.code, status: appError.status, reason: error.code }, 'request refused before routing');
  if (socket.writable) {
    const body = JSON.stringify(errorBody(appError));
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
      ...DEFAULT_SECURITY_HEADERS,
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\n${head}\r\n${body}`);
  }
  socket.destroy(error);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error, request);
    if (appError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    // A route of another API family (the entity flow) renders the same error in its own shapes.
    const wire = request.routeOptions.config.errorWire;
    if (wire) {
      const { status, body } = wire.render(appError);
      return reply.status(status).type('application/json; charset=utf-8').send(body);
    }
    return sendError(reply, appError);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new AppError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`)));
}
