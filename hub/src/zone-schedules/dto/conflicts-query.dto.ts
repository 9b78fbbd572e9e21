import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';

/** GET /zones/:zoneId/schedule/conflicts: the window [from, to) to check, at most 400 days. */
export class ConflictsQueryDto {
  @ApiProperty({ example: '2026-03-23T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant such as 2026-03-23T00:00:00Z' })
  from!: string;

  @ApiProperty({ example: '2026-03-30T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant such as 2026-03-30T00:00:00Z' })
  to!: string;
}
