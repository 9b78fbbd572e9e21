import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorResponseSchema } from './error-response.schema';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Every operation may fail with the standard error body; say so once here instead of on every handler. */
function addDefaultErrorResponses(document: OpenAPIObject): void {
  const errorResponse = {
    description: 'Error: see `code` (ErrorCode) and `message`',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseSchema) } } },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) operation.responses = { ...operation.responses, default: errorResponse };
    }
  }
}

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
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey: string, methodKey: string) => `${controllerKey}_${methodKey}`,
    extraModels: [ErrorResponseSchema],
  });
  addDefaultErrorResponses(document);
  return document;
}

/** Serves the document: UI at /api/docs, JSON at /api/docs-json. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
