import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { createHubAdapter } from '../app.factory';
import { AppModule } from '../app.module';
import { buildOpenApiDocument } from './openapi';

/** hub/openapi.json, relative to this file in hub/dist/openapi/ or hub/src/openapi/. */
export const OPENAPI_FILE = path.resolve(__dirname, '../../openapi.json');

/** The checked-in form of the document: stable 2-space JSON with a final newline. */
export function serialiseOpenApi(document: unknown): string {
  return JSON.stringify(document, null, 2) + '\n';
}

/**
 * `npm run openapi`: boots the hub on a throwaway SQLite database (the document depends only on the code) and writes
 * hub/openapi.json.
 */
async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roomtone-openapi-'));
  process.env.ROOMTONE_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  process.env.ROOMTONE_DEMO_SEED = 'false';
  try {
    const app = await NestFactory.create(AppModule, createHubAdapter(), { logger: ['error'], abortOnError: false });
    await app.init();
    fs.writeFileSync(OPENAPI_FILE, serialiseOpenApi(buildOpenApiDocument(app)));
    await app.close();
    process.stdout.write(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}\n`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`openapi: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
