import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The hub's OpenAPI document, built from the controllers' decorators. Deterministic, so it can be checked in. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Roomtone hub')
    .setDescription(
      'Licensing and programming of background music for venues. Errors are JSON `{ statusCode, code, message, ' +
        'requestId, details? }`; every response carries X-Request-Id.',
    )
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey: string, methodKey: string) => `${controllerKey}_${methodKey}`,
  });
}

/** Serves the document: UI at /api/docs, JSON at /api/docs-json. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
