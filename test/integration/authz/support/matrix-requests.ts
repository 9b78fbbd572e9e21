import type { Caller, MatrixTenant } from './matrix-fixtures';
import { PASSWORD } from './fixtures';
import type { Endpoint } from './routes';

let counter = 0;

/**
 * The id each route parameter names in `tenant`, chosen by the resource segment before it. A route with a parameter
 * not listed here fails the matrix with a message saying to add it, so new endpoints cannot slip through untested.
 */
export function resolvePath(endpoint: Endpoint, tenant: MatrixTenant, caller: Caller, tokenId: string): string {
  const segments = endpoint.path.split('/');
  return segments
    .map((segment, i) => {
      if (!segment.startsWith(':')) return segment;
      const resource = segments[i - 1];
      const param = segment.slice(1);
      const key = param === 'id' ? `${resource}/id` : param;
      switch (key) {
        case 'venues/id':
        case 'venueId':
          return tenant.venueId;
        case 'zones/id':
        case 'zoneId':
          return tenant.zoneId;
        case 'venue-groups/id':
        case 'venueGroupId':
          return tenant.venueGroupId;
        case 'organisations/id':
        case 'organisationId':
          return caller.role === 'rights_owner' ? tenant.labelId : tenant.businessId;
        case 'membershipId':
          return tenant.spareMembershipId;
        case 'users/id':
        case 'userId':
          return tenant.spareUserId;
        case 'tokens/id':
          return tokenId;
        case 'tracks/id':
        case 'trackId':
          return tenant.trackId;
        case 'appliances/id':
          return tenant.applianceId;
        case 'licences/id':
          return tenant.licenceId;
        case 'programmes/id':
          return tenant.programmeId;
        case 'sha256':
          return '0'.repeat(64);
        case 'version':
          return '1';
        default:
          throw new Error(
            `the authorisation matrix has no fixture for ':${param}' after '${resource}' in ${endpoint.method} ${endpoint.path}: add one to test/integration/authz/support/matrix-requests.ts`,
          );
      }
    })
    .join('/');
}

/** A valid body for each endpoint that takes one, referring to `tenant`'s rows; {} for the others. */
export function bodyFor(endpoint: Endpoint, tenant: MatrixTenant): Record<string, unknown> {
  counter += 1;
  switch (`${endpoint.method} ${endpoint.path}`) {
    case 'POST /auth/login':
      return { email: tenant.users.venue_manager.email, password: PASSWORD };
    case 'POST /auth/tokens':
      return { name: `matrix ${counter}` };
    case 'POST /organisations':
      return { kind: 'business', name: `Matrix Org ${counter}` };
    case 'POST /organisations/:id/memberships':
      return { userId: tenant.users.venue_manager.id, role: 'installer' };
    case 'POST /users':
      return { email: `new${counter}@matrix.test`, displayName: 'New', password: 'a long enough password' };
    case 'POST /users/:id/venue-grants':
      return { venueId: tenant.venueId };
    case 'POST /users/me/password':
      return { currentPassword: PASSWORD, newPassword: PASSWORD };
    case 'POST /venue-groups':
      return { organisationId: tenant.businessId, name: `Matrix Group ${counter}` };
    case 'POST /venues':
      return { organisationId: tenant.businessId, name: `Matrix Venue ${counter}`, timeZone: 'Europe/Paris' };
    case 'POST /venues/:id/zones':
      return { name: `Matrix Zone ${counter}` };
    case 'PUT /zones/:zoneId/schedule/draft':
      return { version: 1, blocks: [] };
    case 'POST /venues/:venueId/licences':
      return { tier: 'preview', validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z', leaseDays: 7 };
    case 'POST /organisations/:organisationId/programmes':
      return { name: `Matrix Programme ${counter}`, kind: 'ordered', trackIds: [tenant.trackId] };
    case 'PATCH /licences/:id':
      return { leaseDays: 14 };
    case 'POST /licences/:id/revoke':
    case 'POST /appliances/:id/revoke':
      return { reason: `matrix ${counter}` };
    case 'PATCH /organisations/:id':
    case 'PATCH /programmes/:id':
    case 'PATCH /venue-groups/:id':
    case 'PATCH /venues/:id':
    case 'PATCH /zones/:id':
      return { name: `Matrix Renamed ${counter}` };
    case 'PATCH /users/:id':
    case 'PATCH /users/me':
      return { displayName: `Matrix Renamed ${counter}` };
    default:
      return {};
  }
}
