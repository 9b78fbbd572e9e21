import type { Role } from '../../tenancy/roles';

/**
 * On whose data an endpoint works. The guard enforces the scopes that name a route parameter; list and create
 * endpoints ('tenant') are scoped by their services, which only ever query the caller's tenants.
 *
 * - `public`: anyone, signed in or not (health, login).
 * - `own`: the caller's own things (their profile, their API tokens, their sessions); `roles` may be omitted,
 *   meaning any signed-in user, even one without memberships yet.
 * - `tenant`: rows of the caller's organisations, filtered by the service (lists, creates).
 * - `organisation` | `venue-group` | `venue` | `zone` | `track`: the row named by the route parameter must belong to one
 *   of the caller's organisations (or, for installers, a venue they are authorised for); otherwise 404, so ids of
 *   other tenants cannot be probed.
 * - `platform`: hub-wide data with no tenant (the audit log); only makes sense with `roles: ['operator']`.
 */
export type AccessScope =
  'public' | 'own' | 'tenant' | 'organisation' | 'venue-group' | 'venue' | 'zone' | 'track' | 'platform';

/** Scopes whose row is named by a route parameter and checked by the guard before the handler runs. */
export type RowScope = Extract<AccessScope, 'organisation' | 'venue-group' | 'venue' | 'zone' | 'track'>;

/** Every scope the guard checks through a row resolver, for exhaustive registries. */
export const ROW_SCOPES: readonly RowScope[] = ['organisation', 'venue-group', 'venue', 'zone', 'track'];

/** What an endpoint declares with `@Access(...)`. */
export interface AccessRule {
  /** Roles allowed to call it; must be omitted for `public`, may be omitted for `own` (any signed-in user). */
  roles?: readonly Role[];
  scope: AccessScope;
  /** The route parameter holding the row id for row scopes; defaults to `id`. */
  param?: string;
}

/** True when `scope` names a row checked by the guard. */
export function isRowScope(scope: AccessScope): scope is RowScope {
  return (ROW_SCOPES as readonly string[]).includes(scope);
}
