import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

/** POST /venue-groups. */
export class CreateVenueGroupDto {
  @IsUUID('all', { message: 'organisationId must be the id of the business the group belongs to' })
  organisationId!: string;

  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}

/** PATCH /venue-groups/:id. */
export class RenameVenueGroupDto {
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}
