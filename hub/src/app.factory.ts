import type { INestApplication, LoggerService } from '@nestjs/common';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { createValidationPipe } from './common/errors/validation';
import { requestIdMiddleware } from './common/http/request-context';
import { accessLogMiddleware } from './common/logging/access-log';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi';

/**
 * Everything an application instance needs beyond its modules: request ids, metrics, access log, validation, the
 * error filter and the OpenAPI document. main.ts and the tests both call this, so tests exercise the real pipeline.
 */
export function configureHub(app: INestApplication, logger: LoggerService): void {
  app.use(requestIdMiddleware);
  app.use(app.get(MetricsService).middleware);
  app.use(accessLogMiddleware(logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  serveOpenApi(app, buildOpenApiDocument(app));
}
