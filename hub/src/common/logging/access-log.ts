import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from '../http/request-context';

/**
 * One log record per finished request. Logs the path without its query string, since queries can carry tokens.
 */
export function accessLogMiddleware(logger: LoggerService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log(
        {
          msg: 'request',
          requestId: requestIdOf(req),
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Math.round(ms * 10) / 10,
        },
        'http',
      );
    });
    next();
  };
}
