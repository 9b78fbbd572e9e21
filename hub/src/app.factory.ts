import type { INestApplication, LoggerService, NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { createValidationPipe } from './common/errors/validation';
import { requestIdMiddleware } from './common/http/request-context';
import { accessLogMiddleware } from './common/logging/access-log';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi';

/**
 * Options for creating the hub's application (main.ts and the tests): the exact body bytes kept as req.rawBody
 * (appliance signatures cover them through Content-Digest), and Nest's default parsers off, so configureHub installs
 * the only one the API needs (JSON; a urlencoded parser ran on every request for nothing).
 */
export const HUB_APP_OPTIONS = { rawBody: true, bodyParser: false } as const satisfies NestApplicationOptions;

/**
 * Everything an application instance needs beyond its modules: request ids, metrics, access log, validation, the
 * error filter and the OpenAPI document. main.ts and the tests both call this, so tests exercise the real pipeline.
 */
export function configureHub(app: INestApplication, logger: LoggerService): void {
  // JSON bodies up to 2 MB: a play batch (up to 1000 plays of ~600 bytes, docs/appliance-api.md) exceeds the 100 kB default.
  (app as NestExpressApplication).useBodyParser('json', { limit: '2mb' });
  app.use(requestIdMiddleware);
  app.use(app.get(MetricsService).middleware);
  app.use(accessLogMiddleware(logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  serveOpenApi(app, buildOpenApiDocument(app));
}
