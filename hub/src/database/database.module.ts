import path from 'node:path';
import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions, ensureDatabaseDir } from './data-source';
import { runMigrationsLocked } from './migrate';

function databaseOf(options: DataSourceOptions): DatabaseConfig {
  return options.type === 'postgres'
    ? { kind: 'postgres', url: String(options.url) }
    : { kind: 'sqlite', path: String(options.database) };
}

/**
 * The hub's one DataSource. Entities are registered by each feature's `TypeOrmModule.forFeature([...])`
 * (autoLoadEntities); migrations from ./migrations run at boot under a lock, before any module can query.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database),
        autoLoadEntities: true,
        // Fail fast: retrying hides a wrong DATABASE_URL behind a minute of silence.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        if (!options) throw new Error('database options missing');
        const database = databaseOf(options);
        if (database.kind === 'sqlite') ensureDatabaseDir(database, path.dirname(database.path));
        const dataSource = await new DataSource(options).initialize();
        const logger = new Logger('Database');
        await runMigrationsLocked(dataSource, database, (msg, fields) => logger.log({ msg, ...fields }));
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
