import type { Role } from '../tenancy/roles';

/** Who changes venues, zones and groups: operators and the businesses' venue managers. */
export const MANAGE_VENUES: readonly Role[] = ['operator', 'venue_manager'];
/** Who sees venues and zones: installers too, since they fit appliances into zones. */
export const SEE_VENUES: readonly Role[] = ['operator', 'venue_manager', 'installer'];
