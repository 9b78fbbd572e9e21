import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { LICENCE_TIERS, type LicenceTier } from '../entities/licence.entity';

const LEASE = 'leaseDays must be a whole number of days from 1 to 90';
const INSTANT = { strict: true, strictSeparator: true };

/** POST /venues/:venueId/licences. */
export class CreateLicenceDto {
  @ApiPropertyOptional({ description: 'zones covered; omit to cover every zone of the venue', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'zoneIds must be zone ids of this venue' })
  zoneIds?: string[];

  @ApiProperty({ enum: LICENCE_TIERS })
  @IsIn(LICENCE_TIERS, { message: `tier must be one of ${LICENCE_TIERS.join(', ')}` })
  tier!: LicenceTier;

  @ApiProperty({ example: '2026-12-01T00:00:00.000Z' })
  @IsISO8601(INSTANT, { message: 'validFrom must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z' })
  validFrom!: string;

  @ApiProperty({ example: '2027-12-01T00:00:00.000Z', description: 'exclusive' })
  @IsISO8601(INSTANT, { message: 'validUntil must be an ISO 8601 instant, e.g. 2027-12-01T00:00:00Z' })
  validUntil!: string;

  @ApiProperty({ minimum: 1, maximum: 90 })
  @IsInt({ message: LEASE })
  @Min(1, { message: LEASE })
  @Max(90, { message: LEASE })
  leaseDays!: number;
}

/** PATCH /licences/:id: the terms to change; the others stay. */
export class AmendLicenceDto {
  @ApiPropertyOptional({ type: [String], nullable: true, description: 'null covers every zone' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'zoneIds must be zone ids of this venue' })
  zoneIds?: string[] | null;

  @ApiPropertyOptional({ enum: LICENCE_TIERS })
  @IsOptional()
  @IsIn(LICENCE_TIERS, { message: `tier must be one of ${LICENCE_TIERS.join(', ')}` })
  tier?: LicenceTier;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601(INSTANT, { message: 'validFrom must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z' })
  validFrom?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601(INSTANT, { message: 'validUntil must be an ISO 8601 instant, e.g. 2027-12-01T00:00:00Z' })
  validUntil?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 90 })
  @IsOptional()
  @IsInt({ message: LEASE })
  @Min(1, { message: LEASE })
  @Max(90, { message: LEASE })
  leaseDays?: number;
}

/** POST /licences/:id/revoke. */
export class RevokeLicenceDto {
  @ApiProperty({ example: 'venue closed' })
  @IsString()
  @MaxLength(500)
  reason!: string;
}
