import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';

/** The body of every error response, as rendered by AllExceptionsFilter (documented once for all operations). */
export class ErrorResponseSchema {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.NotFound })
  code!: ErrorCode;

  @ApiProperty({ example: 'venue 0190... was not found; check the id' })
  message!: string;

  @ApiProperty({ description: 'Also in the X-Request-Id response header; quote it when reporting a problem.' })
  requestId!: string;

  @ApiPropertyOptional({
    description: 'Structured extras; for VALIDATION_FAILED, `fields`: [{ field, problems[] }].',
    type: 'object',
    additionalProperties: true,
  })
  details?: Record<string, unknown>;
}
