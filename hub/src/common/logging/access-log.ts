import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from '../http/request-context';

// Load balancers and Prometheus call these every few seconds, and every appliance checks in every minute (its status
// row records each check-in): successful calls are logged at debug only.
const PROBES = new Set(['/health', '/health/ready', '/metrics', '/appliance/v1/checkin']);

/**
 * One log record per finished request. Logs the path without its query string, since queries can carry tokens.
 */
export function accessLogMiddleware(logger: LoggerService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = req.originalUrl.split('?')[0];
      const quiet = PROBES.has(path) && res.statusCode < 400;
      (quiet ? logger.debug?.bind(logger) : logger.log.bind(logger))?.(
        {
          msg: 'request',
          requestId: requestIdOf(req),
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: Math.round(ms * 10) / 10,
        },
        'http',
      );
    });
    next();
  };
}
