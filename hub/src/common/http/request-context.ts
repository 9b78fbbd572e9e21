import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What the logger and the error filter need to know about the request being served. */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The request id of the request being served by this async call chain, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export const REQUEST_ID_HEADER = 'x-request-id';
// A caller-supplied id is echoed into logs and headers, so only accept a short, inert token.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Express middleware: adopts the caller's X-Request-Id when it is a safe token (so a proxy's id follows the request),
 * else makes one; returns it in the response header and runs the rest of the request inside its context.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header(REQUEST_ID_HEADER);
  const requestId = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  (req as Request & { requestId?: string }).requestId = requestId;
  storage.run({ requestId }, () => next());
}

/** The id assigned by requestIdMiddleware, read from the request itself (works outside the async context too). */
export function requestIdOf(req: Request): string | undefined {
  return (req as Request & { requestId?: string }).requestId;
}
