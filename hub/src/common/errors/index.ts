export { AppError, type FieldProblem } from './app-error';
export { ErrorCode } from './error-code';
export { assertUnreachable, codeForHttpStatus, httpStatusFor } from './http-status';
export { createValidationPipe } from './validation';
export { AllExceptionsFilter, type ErrorBody } from './all-exceptions.filter';
