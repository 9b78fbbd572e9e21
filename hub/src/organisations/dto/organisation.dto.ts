import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MEMBERSHIP_ROLES, ORGANISATION_KINDS, type MembershipRole, type OrganisationKind } from '../../tenancy/roles';

/** POST /organisations. */
export class CreateOrganisationDto {
  @IsIn(ORGANISATION_KINDS, { message: `kind must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind!: OrganisationKind;

  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}

/** PATCH /organisations/:id. */
export class RenameOrganisationDto {
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;
}

/** POST /organisations/:id/memberships. */
export class AddMembershipDto {
  @IsUUID('all', { message: 'userId must be a user id' })
  userId!: string;

  @IsIn(MEMBERSHIP_ROLES, { message: `role must be one of ${MEMBERSHIP_ROLES.join(', ')}` })
  role!: MembershipRole;
}
