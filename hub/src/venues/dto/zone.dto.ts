import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** POST /venues/:id/zones and PATCH /zones/:id. */
export class ZoneDto {
  @ApiProperty({ example: 'Terrace' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty, e.g. "Bar" or "Terrace"' })
  @MaxLength(200)
  name!: string;
}
