export {
  bigintNumber,
  booleanDefault,
  ID_COLUMN,
  ID_TABLE_COLUMN,
  InstantColumn,
  INSTANT_TABLE_COLUMN,
  isoInstant,
  msInstant,
} from './columns';
export { dataSourceOptions, openDataSource, SQLITE_BUSY_TIMEOUT_MS } from './data-source';
export { DatabaseModule } from './database.module';
export { runMigrationsLocked } from './migrate';
export { migrations } from './migrations';
