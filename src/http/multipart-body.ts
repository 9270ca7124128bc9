/**
 * Reads a multipart body part by part, within a limit on the whole body. @fastify/multipart
 * limits each part (count, field size, file size) but not their sum, and reads the request
 * itself rather than through Fastify's body limit: 100 fields of 1 MB each made a 100 MB body
 * on a route whose limit is 1 MB. Here the route's `bodyLimit` holds for multipart bodies as it
 * does for the others, counted in bytes as they arrive, framing included.
 */
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/codes.ts';
import { outsideAdmission } from './admission.ts';

export interface PartLimits {
  /** Field parts; one more answers INVALID_PARAMETER_COUNT. */
  fields?: number;
  /** File parts; one more answers INVALID_PARAMETER_COUNT. */
  files?: number;
  /** Largest file part, in bytes (413 beyond it). */
  fileSize?: number;
}

function tooLarge(limitBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than the ${Number((limitBytes / 2 ** 20).toFixed(1))} MB limit.`);
}

/**
 * Hands each part to `onPart`, in order, and settles once the body has been read to its end, or
 * with PAYLOAD_TOO_LARGE as soon as the body outgrows the route's limit. Then the rest of the
 * body is left unread: the answer closes the connection (app.ts), so nothing reads it.
 */
export async function readMultipart(request: FastifyRequest, limits: PartLimits, onPart: (part: Multipart) => Promise<void> | void): Promise<void> {
  const limitBytes = request.routeOptions.bodyLimit;
  const raw = request.raw;
  let received = 0;
  let refuse: (error: AppError) => void = () => {};
  const overLimit = new Promise<never>((_, reject) => {
    refuse = reject;
  });
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= limitBytes) return;
    raw.off('data', count);
    // Starve the parser: it stops where it is, and its pending part is abandoned with the request.
    raw.unpipe();
    raw.pause();
    refuse(tooLarge(limitBytes));
  };
  // A single field may be as large as the whole body may be: the body's limit is what counts,
  // and a value cut short is refused rather than taken (busboy truncates silently).
  const parts = request.parts({ limits: { ...limits, fieldSize: limitBytes } });
  const consume = (async () => {
    for await (const part of parts) {
      if (part.type === 'field' && part.valueTruncated) throw tooLarge(limitBytes);
      await onPart(part);
    }
  })();
  // Counted from the iteration's start, which is what pipes the request into the parser; a
  // 'data' listener on a stream that is already flowing changes nothing for the parser.
  raw.on('data', count);
  // Once the limit has won, the abandoned iteration still ends, with an error, when the
  // connection closes: nobody is waiting for it any more.
  consume.catch(() => {});
  try {
    await outsideAdmission(request, () => Promise.race([consume, overLimit]));
  } finally {
    raw.off('data', count);
  }
}
