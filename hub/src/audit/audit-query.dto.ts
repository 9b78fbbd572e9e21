import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

/** Filters of GET /audit; results come newest first, `before` pages back from an entry id. */
export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'venue' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+$/, { message: 'entityType must be a lowercase name such as venue or api_token' })
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'actorUserId must be a user id' })
  actorUserId?: string;

  @ApiPropertyOptional({ example: 'venue.update' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like venue.update' })
  action?: string;

  @ApiPropertyOptional({ description: 'id of the last entry of the previous page (nextBefore)' })
  @IsOptional()
  @IsUUID('all', { message: 'before must be the id of an audit entry (from a previous page)' })
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 200' })
  @Min(1, { message: 'limit must be a whole number from 1 to 200' })
  @Max(200, { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;
}
