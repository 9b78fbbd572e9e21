import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MEMBERSHIP_ROLES, ORGANISATION_KINDS, type MembershipRole, type OrganisationKind } from '../../tenancy/roles';

/** POST /organisations. */
export class CreateOrganisationDto {
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, { message: `kind must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind!: OrganisationKind;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}

/** PATCH /organisations/:id. */
export class RenameOrganisationDto {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}

/** POST /organisations/:id/memberships. */
export class AddMembershipDto {
  @ApiProperty()
  @IsUUID('all', { message: 'userId must be a user id' })
  userId!: string;

  @ApiProperty({ enum: MEMBERSHIP_ROLES })
  @IsIn(MEMBERSHIP_ROLES, { message: `role must be one of ${MEMBERSHIP_ROLES.join(', ')}` })
  role!: MembershipRole;
}
