import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseByteRange } from '../../catalog/preview/byte-range';
import { AppError, ErrorCode } from '../../common/errors';
import type { Deliverable } from './delivery.service';

/** True when an `If-None-Match` / `If-Range` list names `etag` (strong comparison; `*` matches anything). */
function names(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag;
  });
}

/**
 * Answers a GET/HEAD for `body` with RFC 9110 semantics: ETag, 304 on a matching If-None-Match, one byte range
 * (206 with Content-Range; 416 outside the body), If-Range (a range only when the validator still matches, else the
 * whole body). Streams with back-pressure to the Node response (the reply is hijacked once the status is known; an
 * error before that goes through the error filter with the headers set so far); a client that disconnects stops
 * the work and is not an error.
 */
export async function serve(request: FastifyRequest, reply: FastifyReply, body: Deliverable): Promise<void> {
  const response = reply.raw;
  response.setHeader('ETag', body.etag);
  response.setHeader('Accept-Ranges', 'bytes');
  response.setHeader('Cache-Control', 'private, no-transform');
  if (names(request.headers['if-none-match'], body.etag)) {
    reply.hijack();
    response.writeHead(304).end();
    return;
  }
  const ifRange = request.headers['if-range'] as string | undefined;
  const rangeHeader = ifRange === undefined || ifRange.trim() === body.etag ? request.headers.range : undefined;
  const range = parseByteRange(rangeHeader, body.size);
  if (range === 'unsatisfiable') {
    response.setHeader('Content-Range', `bytes */${body.size}`);
    throw new AppError(
      ErrorCode.RangeNotSatisfiable,
      `the requested range starts beyond the end of this ${body.size}-byte body; ask for bytes 0-${body.size - 1} (or none to get it whole)`,
      { size: body.size },
    );
  }
  const { start, end } = range ?? { start: 0, end: body.size - 1 };
  reply.hijack();
  response.statusCode = range ? 206 : 200;
  if (range) response.setHeader('Content-Range', `bytes ${start}-${end}/${body.size}`);
  response.setHeader('Content-Type', body.contentType);
  response.setHeader('Content-Length', String(end - start + 1));
  if (request.method === 'HEAD' || body.size === 0) {
    response.end();
    return;
  }
  try {
    await body.send({ start, end }, response);
  } catch (error) {
    // The client went away mid-body: the source was closed with it; nothing else to do.
    if (
      response.destroyed ||
      request.raw.destroyed ||
      (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE'
    )
      return;
    throw error;
  }
}
