import { ErrorCode } from './error-code';

/** One bad input field and what is wrong with it. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/**
 * An error a user may see. `message` says what is wrong and what to do next; `code` is what clients branch on;
 * `details` carries structured extras (e.g. the bad fields). Throw it from services; the global filter renders it.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  /** A 400 listing each bad field: built by the global ValidationPipe, usable by services checking input by hand. */
  static validation(fields: FieldProblem[]): AppError {
    const names = fields.map((f) => f.field).join(', ');
    return new AppError(ErrorCode.ValidationFailed, `invalid input in: ${names}; correct these fields and retry`, {
      fields,
    });
  }

  static notFound(what: string): AppError {
    return new AppError(ErrorCode.NotFound, `${what} was not found; check the id`);
  }
}
