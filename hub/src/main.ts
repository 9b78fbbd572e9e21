import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureHub, createHubAdapter, HUB_APP_OPTIONS } from './app.factory';
import { AppModule } from './app.module';
import { JsonLogger } from './common/logging/json-logger';
import { redact } from './common/logging/redact';
import { type AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { DemoAnnouncements } from './demo/demo-announcements';
import { ShutdownState } from './health/shutdown-state';

function closeServer(server: Server, graceMs: number, logger: JsonLogger): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      logger.warn({ msg: 'grace period over; closing remaining connections', graceMs }, 'shutdown');
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    // close() stops accepting, drops idle keep-alive sockets and calls back once in-flight requests have finished.
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hub: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHubAdapter(), {
    logger,
    bufferLogs: true,
    ...HUB_APP_OPTIONS,
    // Let boot errors reach our handler: one line on stderr, exit 1.
    abortOnError: false,
  });
  configureHub(app, logger);
  await app.listen(config.port, config.host);
  const server = app.getHttpServer();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Handlers go in before 'hub listening' is announced: until Node installs one, SIGTERM kills the process
  // outright, and whoever waits for that line may signal at once.
  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals) => {
    stopping ??= (async () => {
      logger.log({ msg: 'stopping: finishing in-flight requests', signal }, 'shutdown');
      app.get(ShutdownState).stopping = true;
      await closeServer(server, config.shutdownGraceMs, logger);
      await app.close();
      logger.log({ msg: 'stopped' }, 'shutdown');
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ msg: 'shutdown failed', error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  logger.log({ msg: 'hub listening', url: `http://localhost:${port}`, docs: '/api/docs', health: '/health' }, 'main');
  // With PORT=0 the default public URL names port 0; the real one is only known now.
  const publicUrl = config.publicUrl.endsWith('://localhost:0') ? `http://localhost:${port}` : config.publicUrl;
  for (const text of app.get(DemoAnnouncements).drain(publicUrl)) process.stdout.write(text + '\n');
}

// Network and authentication failures while opening the database: the fix is in DATABASE_URL or the server.
const DATABASE_ERRORS = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|password authentication|does not exist|SQLITE_/;

bootstrap().catch((error: unknown) => {
  const message = redact(error instanceof Error ? error.message : String(error)) as string;
  const hint = DATABASE_ERRORS.test(message)
    ? process.env.DATABASE_URL
      ? ' (check DATABASE_URL and that PostgreSQL is running and reachable)'
      : ' (check ROOMTONE_DATA_DIR: the SQLite database inside it must be readable and writable)'
    : '';
  process.stderr.write(`hub failed to start: ${message}${hint}\n`);
  process.exit(1);
});
