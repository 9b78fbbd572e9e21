import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

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
 * Fastify's `genReqId`: adopts the caller's X-Request-Id when it is a safe token (so a proxy's id follows the
 * request), else makes one. Fastify keeps it as `request.id`.
 */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}

/** `onRequest` hook: returns the id in the response header (on the Node response, so responses streamed through
 * `reply.raw` carry it too) and runs the rest of the request inside its context. */
export function enterRequestContext(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  reply.raw.setHeader('X-Request-Id', request.id);
  storage.run({ requestId: request.id }, done);
}

/** The id of a request (Fastify's, from requestIdFor); works outside the async context too. */
export function requestIdOf(request: { id?: unknown } | undefined): string | undefined {
  return typeof request?.id === 'string' ? request.id : undefined;
}
