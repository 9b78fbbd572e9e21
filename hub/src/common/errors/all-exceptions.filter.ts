import { ArgumentsHost, Catch, HttpException, type ExceptionFilter, type LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { requestIdOf } from '../http/request-context';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';
import { codeForHttpStatus, httpStatusFor } from './http-status';

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : exception.message;
}

// Express body-parser and friends throw plain errors carrying an HTTP status and `expose: true` for client errors.
function isExposedHttpError(e: unknown): e is Error & { status: number } {
  const candidate = e as { status?: unknown; expose?: unknown };
  return e instanceof Error && typeof candidate.status === 'number' && candidate.expose === true;
}

// A unique index refused a row: two requests raced past a service's existence check, or a service did not check.
function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driver = e.driverError as { code?: unknown } | undefined;
  return driver?.code === '23505' || driver?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * The one place errors become HTTP responses. AppErrors keep their code and message; HTTP errors raised by Nest or
 * Express keep their status; anything else is a plain 500 whose body reveals nothing but the request id, under which
 * the error and its stack are logged.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const requestId = requestIdOf(req) ?? randomUUID();
    const body = this.toBody(exception, requestId);
    if (body.statusCode >= 500) {
      this.logger.error(
        {
          msg: 'request failed',
          requestId,
          method: req.method,
          path: req.path,
          error: exception instanceof Error ? exception.message : String(exception),
          stack: exception instanceof Error ? exception.stack : undefined,
        },
        'AllExceptionsFilter',
      );
    }
    if (res.headersSent) {
      // A stream already started: the status cannot change any more, so cut the response short.
      res.destroy();
      return;
    }
    res.setHeader('X-Request-Id', requestId);
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    if (exception instanceof AppError) {
      const statusCode: number = httpStatusFor(exception.code);
      if (statusCode >= 500) return this.internal(requestId, exception.code);
      return { statusCode, code: exception.code, message: exception.message, requestId, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      if (statusCode >= 500) return this.internal(requestId);
      return { statusCode, code: codeForHttpStatus(statusCode), message: messageOf(exception), requestId };
    }
    if (isUniqueViolation(exception)) {
      return {
        statusCode: httpStatusFor(ErrorCode.Conflict),
        code: ErrorCode.Conflict,
        message: 'this conflicts with an existing record (a name or address already in use); change it and retry',
        requestId,
      };
    }
    if (isExposedHttpError(exception) && exception.status < 500) {
      return {
        statusCode: exception.status,
        code: codeForHttpStatus(exception.status),
        message: exception.message,
        requestId,
      };
    }
    return this.internal(requestId);
  }

  private internal(requestId: string, code: ErrorCode = ErrorCode.Internal): ErrorBody {
    const statusCode = httpStatusFor(code);
    const message =
      code === ErrorCode.ServiceUnavailable
        ? `the hub cannot serve this right now; retry later (request id ${requestId})`
        : `internal error; report request id ${requestId} to the operator`;
    return { statusCode, code, message, requestId };
  }
}
