import type { FastifyRequest } from 'fastify';

/**
 * Whether the request comes with a body. (One without may still not be `complete` when it is
 * answered at once, before Node's parser has finished with it.)
 */
export function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
