import { ArgumentsHost, Catch, HttpException, type ExceptionFilter, type LoggerService } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { JSON_BODY_LIMIT } from '../http/body-limit';
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

// Fastify's own client errors (the body parser's, the router's) carry their HTTP status as `statusCode` and a code
// FST_ERR_*; the JSON parser's SyntaxError gets statusCode 400.
function isFrameworkClientError(e: unknown): e is Error & { statusCode: number; code?: string } {
  if (!(e instanceof Error)) return false;
  const status = (e as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** What a framework client error means for the caller, in the words of this API. */
function frameworkMessage(e: Error & { statusCode: number; code?: string }): string {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `the request body is larger than the ${JSON_BODY_LIMIT / (1024 * 1024)} MB limit for JSON; send it in smaller parts (e.g. fewer plays per batch)`;
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'the Content-Length header does not match the body sent';
    default:
      return e instanceof SyntaxError
        ? `the body is not valid JSON (${e.message}); send a JSON object with Content-Type application/json`
        : e.message;
  }
}

// A unique index refused a row: two requests raced past a service's existence check, or a service did not check.
function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driver = e.driverError as { code?: unknown } | undefined;
  return driver?.code === '23505' || driver?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * The one place errors become HTTP responses. AppErrors keep their code and message; HTTP errors raised by Nest or
 * Fastify keep their status; anything else is a plain 500 whose body reveals nothing but the request id, under which
 * the error and its stack are logged.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const requestId = requestIdOf(req) ?? randomUUID();
    const body = this.toBody(exception, requestId);
    if (body.statusCode >= 500) {
      this.logger.error(
        {
          msg: 'request failed',
          requestId,
          method: req.method,
          path: req.url.split('?')[0],
          error: exception instanceof Error ? exception.message : String(exception),
          stack: exception instanceof Error ? exception.stack : undefined,
        },
        'AllExceptionsFilter',
      );
    }
    const raw = reply.raw;
    if (raw.headersSent) {
      // A stream already started: the status cannot change any more, so cut the response short.
      raw.destroy();
      return;
    }
    if (reply.sent) {
      // The handler took the response over (reply.hijack()) and failed before writing: answer on the raw response.
      const json = JSON.stringify(body);
      raw.writeHead(body.statusCode, {
        'X-Request-Id': requestId,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(json),
      });
      raw.end(json);
      return;
    }
    void reply.header('X-Request-Id', requestId).code(body.statusCode).send(body);
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    if (exception instanceof AppError) {
      const statusCode: number = httpStatusFor(exception.code);
      if (statusCode >= 500) return this.internal(requestId, exception.code);
      return { statusCode, code: exception.code, message: exception.message, requestId, details: exception.details };
    }
    // Nest hands Fastify's client errors over as HttpExceptions caused by them.
    const framework = exception instanceof HttpException ? exception.cause : exception;
    if (isFrameworkClientError(framework)) {
      return {
        statusCode: framework.statusCode,
        code: codeForHttpStatus(framework.statusCode),
        message: frameworkMessage(framework),
        requestId,
      };
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
