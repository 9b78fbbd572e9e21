import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

/** POST /venue-groups. */
export class CreateVenueGroupDto {
  @ApiProperty()
  @IsUUID('all', { message: 'organisationId must be the id of the business the group belongs to' })
  organisationId!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}

/** PATCH /venue-groups/:id. */
export class RenameVenueGroupDto {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}
