import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

const INSTANT = { strict: true, strictSeparator: true };
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** GET /venues/:venueId/plays. */
export class VenuePlaysQuery {
  @ApiPropertyOptional({ description: 'plays that started at or after this instant', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601(INSTANT, { message: 'from must be an ISO 8601 instant, e.g. 2026-11-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ description: 'plays that started before this instant (exclusive)' })
  @IsOptional()
  @IsISO8601(INSTANT, { message: 'to must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z' })
  to?: string;

  @ApiPropertyOptional({ description: 'only this zone of the venue' })
  @IsOptional()
  @IsUUID('all', { message: 'zoneId must be a zone id' })
  zoneId?: string;

  @ApiPropertyOptional({ description: 'true: only flagged plays; false: only clean ones' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'flagged must be true or false' })
  flagged?: boolean;

  @ApiPropertyOptional({ description: 'page size, 1 to 500 (default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,15}_[0-9a-f-]{36}_[0-9a-f-]{36}$/, {
    message: 'cursor must be a nextCursor value from a previous page',
  })
  cursor?: string;
}

/** GET /tracks/:id/plays. */
export class TrackPlaysQuery {
  @ApiPropertyOptional({ description: 'first UTC day, YYYY-MM-DD (default: 30 days before to)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a UTC day, YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'last UTC day, inclusive, YYYY-MM-DD (default: today)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a UTC day, YYYY-MM-DD' })
  to?: string;
}
