import { passes, rolesOf, tenantFilter, type Principal } from './principal';

const mixed: Principal = {
  userId: 'u',
  email: 'x@example.test',
  displayName: 'X',
  isOperator: false,
  memberships: [
    { organisationId: 'label-1', role: 'rights_owner' },
    { organisationId: 'shop-1', role: 'venue_manager' },
  ],
  installerVenueIds: ['venue-9'],
  credential: { kind: 'api-token', tokenId: 't' },
};

describe('tenant filter', () => {
  it('collects every role held anywhere, installer grants included', () => {
    expect([...rolesOf(mixed)].sort()).toEqual(['installer', 'rights_owner', 'venue_manager']);
    expect(rolesOf({ ...mixed, isOperator: true }).has('operator')).toBe(true);
  });

  it('only counts organisations where the caller holds one of the rule roles', () => {
    expect(tenantFilter(mixed, ['venue_manager'])).toEqual({ all: false, organisationIds: ['shop-1'], venueIds: [] });
    expect(tenantFilter(mixed, ['rights_owner'])).toEqual({ all: false, organisationIds: ['label-1'], venueIds: [] });
  });

  it('adds installer venue grants only when installers are allowed', () => {
    const filter = tenantFilter(mixed, ['venue_manager', 'installer']);
    expect(filter).toEqual({ all: false, organisationIds: ['shop-1'], venueIds: ['venue-9'] });
    expect(passes(filter, 'other-org', 'venue-9')).toBe(true);
    expect(passes(filter, 'other-org', 'venue-8')).toBe(false);
    expect(passes(filter, 'shop-1')).toBe(true);
    expect(passes(filter, null)).toBe(false);
  });

  it('gives operators every tenant only when the rule lists operators', () => {
    const operator = { ...mixed, isOperator: true };
    expect(tenantFilter(operator, ['operator', 'venue_manager'])).toEqual({ all: true });
    expect(tenantFilter(operator, ['venue_manager']).all).toBe(false);
  });
});
