import type { Role } from './roles';

/** How the caller proved who they are; CSRF checks apply only to cookie sessions. */
export type Credential =
  { kind: 'session'; sessionId: string; csrfToken: string } | { kind: 'api-token'; tokenId: string };

/** The signed-in caller, as the guard attaches it to the request and controllers hand it to services. */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  /** Organisations (labels, businesses) whose data the user may see. */
  organisationIds: readonly string[];
  /** Venues an installer is authorised for individually, beyond their organisations' venues. */
  venueIds: readonly string[];
  credential: Credential;
}

/**
 * Which tenants a caller sees: everything for operators, else their organisations and individually granted venues.
 * Services and repositories take this, so every list query filters in SQL rather than after loading rows.
 */
export type TenantFilter =
  { all: true } | { all: false; organisationIds: readonly string[]; venueIds: readonly string[] };

/** The tenant filter for `principal`. */
export function tenantFilter(principal: Principal): TenantFilter {
  if (principal.role === 'operator') return { all: true };
  return { all: false, organisationIds: principal.organisationIds, venueIds: principal.venueIds };
}

/** True when a row owned by `organisationId` (and, for venue rows, being venue `venueId`) is visible. */
export function canSeeRow(filter: TenantFilter, organisationId: string | null, venueId?: string): boolean {
  if (filter.all) return true;
  if (organisationId !== null && filter.organisationIds.includes(organisationId)) return true;
  return venueId !== undefined && filter.venueIds.includes(venueId);
}
