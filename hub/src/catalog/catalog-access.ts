import type { Principal } from '../auth/access/principal';
import type { Role } from '../tenancy/roles';
import type { CatalogVisibility } from './search/track-search-query';

/** Who may upload masters and edit their tracks. */
export const MANAGE_TRACKS: readonly Role[] = ['operator', 'rights_owner'];
/** Who may browse the catalogue and audition previews: every signed-in role. */
export const SEE_TRACKS: readonly Role[] = ['operator', 'rights_owner', 'venue_manager', 'installer'];

/** Labels where the caller is a rights owner: the tracks they own. */
export function ownedLabels(principal: Principal): string[] {
  return [...new Set(principal.memberships.filter((m) => m.role === 'rights_owner').map((m) => m.organisationId))];
}

/**
 * What a caller finds in the catalogue: operators every track in every state; rights owners their labels' tracks in
 * every state; venue managers and installers the ready catalogue (what venues can be programmed with).
 */
export function catalogVisibility(principal: Principal): CatalogVisibility {
  if (principal.isOperator) return { all: true };
  const readyCatalogue =
    principal.installerVenueIds.length > 0 ||
    principal.memberships.some((m) => m.role === 'venue_manager' || m.role === 'installer');
  return { all: false, ownerIds: ownedLabels(principal), readyCatalogue };
}
