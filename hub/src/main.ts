import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  console.log(`Roomtone hub listening on http://localhost:${port} (health: /health)`);
}

bootstrap().catch((error: unknown) => {
  console.error(`hub failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
