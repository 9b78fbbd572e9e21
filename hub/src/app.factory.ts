import type { LoggerService, NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { createValidationPipe } from './common/errors/validation';
import { JSON_BODY_LIMIT } from './common/http/body-limit';
import { enterRequestContext, requestIdFor } from './common/http/request-context';
import { accessLogHook } from './common/logging/access-log';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi';

/**
 * Options for creating the hub's application (main.ts and the tests): the exact body bytes kept as req.rawBody
 * (appliance signatures cover them through Content-Digest), and Nest's default parsers off, so configureHub installs
 * the only one the API needs (JSON).
 */
export const HUB_APP_OPTIONS = { rawBody: true, bodyParser: false } as const satisfies NestApplicationOptions;

/**
 * The HTTP adapter: Fastify. Measured beside Nest's Express adapter with the hub's middleware shape, it costs a
 * third of the CPU per request and its p99 at 1,000 requests/s is 2-4 ms instead of 13-17 ms
 * (bench/results/http-stack.md), which the check-in target needs.
 */
export function createHubAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: JSON_BODY_LIMIT,
    // request.id is the X-Request-Id: the caller's when it is a safe token, else a new UUID (request-context.ts).
    requestIdHeader: false,
    genReqId: requestIdFor,
  });
}

/**
 * Everything an application instance needs beyond its modules: body parsing, request ids, metrics, access log,
 * validation, the error filter and the OpenAPI document. main.ts and the tests both call this, so tests exercise
 * the real pipeline.
 */
export function configureHub(app: NestFastifyApplication, logger: LoggerService): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's JSON parser (prototype poisoning refused), except that an empty body is no body, as a POST without
  // one (publish, logout) may still say Content-Type: application/json.
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: JSON_BODY_LIMIT }, (request, body, done) => {
    if (body.length === 0) done(null, undefined);
    else void json(request, body.toString('utf8'), done);
  });
  // Any other content type is left unread on the request: uploads stream it themselves, and a JSON route sent a
  // form gets no body, so validation names the missing fields (400) instead of a parser's 415.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  fastify.addHook('onRequest', enterRequestContext);
  fastify.addHook('onResponse', app.get(MetricsService).onResponse);
  fastify.addHook('onResponse', accessLogHook(logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  serveOpenApi(app, buildOpenApiDocument(app));
}
