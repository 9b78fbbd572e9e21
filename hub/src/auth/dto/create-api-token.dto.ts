import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { API_TOKEN_MAX_DAYS } from '../auth.settings';

/** POST /auth/tokens. */
export class CreateApiTokenDto {
  @ApiProperty({ example: 'nightly import' })
  @IsString()
  @MinLength(1, { message: 'name must say what the token is for, e.g. "nightly import"' })
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 366 })
  @IsOptional()
  @IsInt({ message: `expiresInDays must be a whole number from 1 to ${API_TOKEN_MAX_DAYS}` })
  @Min(1, { message: `expiresInDays must be a whole number from 1 to ${API_TOKEN_MAX_DAYS}` })
  @Max(API_TOKEN_MAX_DAYS, { message: `expiresInDays must be a whole number from 1 to ${API_TOKEN_MAX_DAYS}` })
  expiresInDays?: number;
}
