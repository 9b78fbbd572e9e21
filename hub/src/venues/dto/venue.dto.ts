import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** One opening interval in the venue's local time. */
export class OpeningIntervalDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: '1 = Monday ... 7 = Sunday' })
  @IsInt({ message: 'weekday must be 1 (Monday) to 7 (Sunday)' })
  @Min(1, { message: 'weekday must be 1 (Monday) to 7 (Sunday)' })
  @Max(7, { message: 'weekday must be 1 (Monday) to 7 (Sunday)' })
  weekday!: number;

  @ApiProperty({ example: '09:00' })
  @Matches(TIME, { message: 'opens must be a local time HH:MM, e.g. 09:00' })
  opens!: string;

  @ApiProperty({ example: '18:00', description: 'at or before opens = past midnight' })
  @Matches(TIME, { message: 'closes must be a local time HH:MM, e.g. 18:30 (before opens = past midnight)' })
  closes!: string;
}

/** POST /venues. */
export class CreateVenueDto {
  @ApiProperty()
  @IsUUID('all', { message: 'organisationId must be the id of the business that owns the venue' })
  organisationId!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'venueGroupId must be the id of a venue group of the same business' })
  venueGroupId?: string | null;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  address?: string | null;

  @ApiProperty({ example: 'Europe/Berlin' })
  @IsString({ message: 'timeZone must be an IANA time zone name such as Europe/Berlin' })
  timeZone!: string;

  @ApiPropertyOptional({ type: () => [OpeningIntervalDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => OpeningIntervalDto)
  openingHours?: OpeningIntervalDto[] | null;
}

/** PATCH /venues/:id: any subset of the venue's fields (the owning business never changes). */
export class UpdateVenueDto {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'venueGroupId must be the id of a venue group of the same business' })
  venueGroupId?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  address?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptional()
  @IsString({ message: 'timeZone must be an IANA time zone name such as Europe/Berlin' })
  timeZone?: string;

  @ApiPropertyOptional({ type: () => [OpeningIntervalDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => OpeningIntervalDto)
  openingHours?: OpeningIntervalDto[] | null;

  @ApiPropertyOptional({ description: "explicit tracks may play in the venue's zones (default false)" })
  @IsOptional()
  @IsBoolean({ message: 'allowExplicit must be true or false' })
  allowExplicit?: boolean;
}

/** GET /venues filters. */
export class ListVenuesQuery {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'venueGroupId must be a venue group id' })
  venueGroupId?: string;
}
