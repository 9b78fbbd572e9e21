export { CommonModule } from './common.module';
export * from './errors';
export { IdGenerator, UuidV7Generator } from './ids/id-generator';
export { currentRequestId, requestIdOf } from './http/request-context';
export { JsonLogger, type LogSink } from './logging/json-logger';
export { redact } from './logging/redact';
export { Clock, FixedClock, SystemClock } from './time/clock';
