import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { configureHub, createHubAdapter, HUB_APP_OPTIONS } from '../../hub/src/app.factory';
import { AppModule } from '../../hub/src/app.module';
import { JsonLogger } from '../../hub/src/common/logging/json-logger';
import { AppConfig } from '../../hub/src/config/app-config';
import { loadConfig } from '../../hub/src/config/load-config';
import type { FreshDatabase } from './databases';

/** Log lines a test hub wrote, parsed. */
export type LogRecords = Record<string, unknown>[];

export interface TestHub {
  app: NestFastifyApplication;
  config: AppConfig;
  logs: LogRecords;
  close(): Promise<void>;
}

/**
 * Boots the whole hub in-process on `db` (migrations included) with the same pipeline as main.ts, capturing logs.
 * `customise` may override providers (Clock, IdGenerator...). Demo seeding is off unless `env` turns it on.
 */
export async function startTestHub(
  db: FreshDatabase,
  options: { env?: Record<string, string>; customise?: (b: TestingModuleBuilder) => TestingModuleBuilder } = {},
): Promise<TestHub> {
  const config = loadConfig({ ROOMTONE_DEMO_SEED: 'false', LOG_LEVEL: 'debug', ...db.env, ...options.env });
  const logs: LogRecords = [];
  const logger = new JsonLogger(config.logLevel, (line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config);
  if (options.customise) builder = options.customise(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHubAdapter(), {
    logger,
    ...HUB_APP_OPTIONS,
  });
  configureHub(app, logger);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, config, logs, close: () => app.close() };
}
