export { AppConfig, type DatabaseConfig } from './app-config';
export { ConfigError, loadConfig } from './load-config';
export { ConfigModule } from './config.module';
export { LOG_LEVELS, type LogLevel } from './env.schema';
