import { Membership } from './membership.entity';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';
import { Venue } from './venue.entity';
import { VenueGroup } from './venue-group.entity';
import { Zone } from './zone.entity';

export { Membership, Organisation, User, Venue, VenueGroup, Zone };
export type { OpeningInterval } from './venue.entity';

/** The core tenant entities, for TypeOrmModule.forFeature. */
export const TENANCY_ENTITIES = [Organisation, User, Membership, VenueGroup, Venue, Zone];
