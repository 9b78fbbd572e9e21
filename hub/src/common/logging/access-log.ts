import type { LoggerService } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

// Load balancers and Prometheus call these every few seconds, and every appliance checks in every minute (its status
// row records each check-in): successful calls are logged at debug only.
const PROBES = new Set(['/health', '/health/ready', '/metrics', '/appliance/v1/checkin']);

/**
 * Fastify `onResponse` hook: one log record per finished request. Logs the path without its query string, since
 * queries can carry tokens.
 */
export function accessLogHook(logger: LoggerService) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const path = request.url.split('?')[0];
    const status = reply.statusCode;
    const quiet = PROBES.has(path) && status < 400;
    (quiet ? logger.debug?.bind(logger) : logger.log.bind(logger))?.(
      {
        msg: 'request',
        requestId: request.id,
        method: request.method,
        path,
        status,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'http',
    );
    done();
  };
}
