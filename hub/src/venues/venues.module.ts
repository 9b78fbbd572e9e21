import { Module, type OnModuleInit } from '@nestjs/common';
import { ScopeResolvers } from '../auth/access/scope-resolvers';
import { VenueGroupsController } from './venue-groups.controller';
import { VenueGroupsService } from './venue-groups.service';
import { VenuesController } from './venues.controller';
import { VenuesQueries } from './venues.queries';
import { VenuesService } from './venues.service';
import { ZonesController } from './zones.controller';
import { ZonesService } from './zones.service';

/** Venues, zones and venue groups, with the row scopes the AccessGuard checks for them. */
@Module({
  controllers: [VenuesController, ZonesController, VenueGroupsController],
  providers: [VenuesQueries, VenuesService, ZonesService, VenueGroupsService],
  exports: [VenuesQueries],
})
export class VenuesModule implements OnModuleInit {
  constructor(
    private readonly resolvers: ScopeResolvers,
    private readonly queries: VenuesQueries,
  ) {}

  onModuleInit(): void {
    this.resolvers.register('venue', { canSee: async (t, id) => (await this.queries.findVenue(t, id)) !== null });
    this.resolvers.register('zone', { canSee: async (t, id) => (await this.queries.findZone(t, id)) !== null });
    this.resolvers.register('venue-group', {
      canSee: async (t, id) => (await this.queries.findGroup(t, id)) !== null,
    });
  }
}
