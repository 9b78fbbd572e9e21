import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Membership, User } from '../tenancy/entities';
import { InstallerVenueGrant } from '../users/venue-grant.entity';
import type { Credential, Principal } from './access/principal';

/** Builds the Principal of a user for one request: the user, their memberships and their installer venue grants. */
@Injectable()
export class PrincipalLoader {
  constructor(private readonly dataSource: DataSource) {}

  /** The principal of `userId`, or null when the user does not exist or is disabled. */
  async load(userId: string, credential: Credential): Promise<Principal | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    if (user === null || user.disabled) return null;
    const [memberships, grants] = await Promise.all([
      this.dataSource.getRepository(Membership).find({ where: { userId }, order: { organisationId: 'ASC' } }),
      this.dataSource.getRepository(InstallerVenueGrant).find({ where: { userId }, order: { venueId: 'ASC' } }),
    ]);
    return {
      userId: user.id,
      email: user.email,
      displayName: user.displayName,
      isOperator: user.isOperator,
      memberships: memberships.map((m) => ({ organisationId: m.organisationId, role: m.role })),
      installerVenueIds: grants.map((g) => g.venueId),
      credential,
    };
  }
}
