import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_CODE_TTL_HOURS } from '../enrolment/enrolment.settings';

/** Body of POST /venues/:venueId/zones/:zoneId/enrolment-codes (both fields optional). */
export class CreateEnrolmentCodeDto {
  @ApiPropertyOptional({ description: 'hours the code stays valid (default ROOMTONE_ENROLMENT_CODE_TTL_HOURS, 24)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CODE_TTL_HOURS)
  ttlHours?: number;

  @ApiPropertyOptional({ description: "true: the enrolled device replaces the zone's current appliance (revoked)" })
  @IsOptional()
  @IsBoolean()
  replace?: boolean;
}

/** A new code, shown once: the hub keeps only a keyed hash. */
export class EnrolmentCodeView {
  @ApiProperty({ example: '7KQ4M-9XR2TC' }) code!: string;
  @ApiProperty({ example: 'roomtone://enroll?hub=https%3A%2F%2Fhub.example.com&code=7KQ4M9XR2TC' }) url!: string;
  @ApiProperty() venueId!: string;
  @ApiProperty() zoneId!: string;
  @ApiProperty() replace!: boolean;
  @ApiProperty() expiresAt!: string;
}
