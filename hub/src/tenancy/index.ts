export * from './entities';
export { MembershipsRepository } from './repositories/memberships.repository';
export { OrganisationsRepository } from './repositories/organisations.repository';
export { normaliseEmail, UsersRepository, type NewUser } from './repositories/users.repository';
export { VenuesRepository, type NewVenue } from './repositories/venues.repository';
export { ZonesRepository } from './repositories/zones.repository';
export * from './roles';
export { TenancyModule } from './tenancy.module';
