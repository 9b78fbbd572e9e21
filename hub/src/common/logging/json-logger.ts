import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../../config/env.schema';
import { currentRequestId } from '../http/request-context';
import { redact } from './redact';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// Nest's boot chatter (one line per module and route) is useful when debugging wiring, noise otherwise.
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Where log lines go; a function so tests can capture them. */
export type LogSink = (line: string) => void;

/**
 * Writes one JSON object per line: time, level, msg, context, the current request id and any fields passed as an
 * object. Values under secret-looking keys are masked. Used as Nest's logger and by the hub's own code.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(line + '\n'),
    private readonly now: () => Date = () => new Date(),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && CHATTY_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (RANK[level] < RANK[this.level]) return;
    // Nest passes (message, context) or (message, stack, context); the context is always last and a string.
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const record: Record<string, unknown> = { time: this.now().toISOString(), level };
    const requestId = currentRequestId();
    if (requestId) record.requestId = requestId;
    if (context) record.context = context;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      Object.assign(record, redact(message));
    } else {
      record.msg = redact(message instanceof Error ? message.message : String(message));
    }
    if (stack) record.stack = stack;
    this.sink(JSON.stringify(record));
  }
}
