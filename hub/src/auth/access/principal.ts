import type { MembershipRole, Role } from '../../tenancy/roles';

/** How the caller proved who they are; CSRF checks apply only to cookie sessions. */
export type Credential =
  { kind: 'session'; sessionId: string; csrfToken: string } | { kind: 'api-token'; tokenId: string };

/** One organisation the caller belongs to, in one role. */
export interface PrincipalMembership {
  organisationId: string;
  role: MembershipRole;
}

/** The signed-in caller, as the guard attaches it to the request and controllers hand it to services. */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  /** Operators run the whole hub: with 'operator' in a rule's roles they see every tenant. */
  isOperator: boolean;
  memberships: readonly PrincipalMembership[];
  /** Venues this user is authorised for individually as an installer, beyond their organisations' venues. */
  installerVenueIds: readonly string[];
  credential: Credential;
}

/** Every role the caller holds somewhere. */
export function rolesOf(principal: Principal): Set<Role> {
  const roles = new Set<Role>(principal.memberships.map((m) => m.role));
  if (principal.isOperator) roles.add('operator');
  if (principal.installerVenueIds.length > 0) roles.add('installer');
  return roles;
}

/**
 * Which tenants a caller sees when acting in one of `roles`: every tenant for an operator (when operators are
 * allowed), else the organisations where they hold one of those roles and, for installers, their granted venues.
 * A venue manager who is also a label's rights owner does not manage venues through the label.
 */
export type TenantFilter =
  { all: true } | { all: false; organisationIds: readonly string[]; venueIds: readonly string[] };

/** The tenant filter for `principal` acting in one of `roles`. */
export function tenantFilter(principal: Principal, roles: readonly Role[]): TenantFilter {
  if (principal.isOperator && roles.includes('operator')) return { all: true };
  const organisationIds = [
    ...new Set(principal.memberships.filter((m) => roles.includes(m.role)).map((m) => m.organisationId)),
  ];
  const venueIds = roles.includes('installer') ? principal.installerVenueIds : [];
  return { all: false, organisationIds, venueIds };
}

/** True when a row owned by `organisationId` (and, for venue rows, being venue `venueId`) passes the filter. */
export function passes(filter: TenantFilter, organisationId: string | null, venueId?: string | null): boolean {
  if (filter.all) return true;
  if (organisationId !== null && filter.organisationIds.includes(organisationId)) return true;
  return venueId !== undefined && venueId !== null && filter.venueIds.includes(venueId);
}
