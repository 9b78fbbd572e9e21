import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TENANCY_ENTITIES } from './entities';
import { MembershipsRepository } from './repositories/memberships.repository';
import { OrganisationsRepository } from './repositories/organisations.repository';
import { UsersRepository } from './repositories/users.repository';
import { VenuesRepository } from './repositories/venues.repository';
import { ZonesRepository } from './repositories/zones.repository';

const REPOSITORIES = [
  OrganisationsRepository,
  UsersRepository,
  MembershipsRepository,
  VenuesRepository,
  ZonesRepository,
];

/** The core tenant tables and their repositories. Features import this module to read or change them. */
@Module({
  imports: [TypeOrmModule.forFeature(TENANCY_ENTITIES)],
  providers: REPOSITORIES,
  exports: [...REPOSITORIES, TypeOrmModule],
})
export class TenancyModule {}
