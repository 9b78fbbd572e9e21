import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCode } from '../../common/errors';
import { Access, Public } from './access.decorator';
import { AccessGuard, Authenticator } from './access.guard';
import type { AuthRequest } from './http-request';
import type { Principal } from './principal';
import { ScopeResolvers } from './scope-resolvers';

class Routes {
  @Public() health(): void {}
  @Access({ roles: ['operator', 'venue_manager'], scope: 'venue', param: 'venueId' }) editVenue(): void {}
  @Access({ roles: ['operator'], scope: 'platform' }) audit(): void {}
  undeclared(): void {}
}

function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    userId: 'u1',
    email: 'm@example.test',
    displayName: 'M',
    isOperator: false,
    memberships: [{ organisationId: 'org-a', role: 'venue_manager' }],
    installerVenueIds: [],
    credential: { kind: 'api-token', tokenId: 't1' },
    ...overrides,
  };
}

class FakeAuthenticator extends Authenticator {
  constructor(public who: Principal | null) {
    super();
  }
  authenticate(): Promise<Principal | null> {
    return Promise.resolve(this.who);
  }
}

function contextFor(handler: keyof Routes, request: AuthRequest): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

function guardFor(who: Principal | null): AccessGuard {
  const resolvers = new ScopeResolvers();
  resolvers.register('venue', {
    canSee: (t, id) => Promise.resolve(id === 'venue-of-a' && (t.all || t.organisationIds.includes('org-a'))),
  });
  return new AccessGuard(new Reflector(), new FakeAuthenticator(who), resolvers);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'allowed';
  } catch (error) {
    return error instanceof AppError ? error.code : `plain: ${(error as Error).message}`;
  }
}

const GET = (params: Record<string, string> = {}): AuthRequest => ({ method: 'GET', headers: {}, params });

describe('AccessGuard', () => {
  it('lets anyone through a public route and still attaches a known caller', async () => {
    const request = GET();
    await expect(guardFor(principal()).canActivate(contextFor('health', request))).resolves.toBe(true);
    expect(request.principal?.userId).toBe('u1');
    await expect(guardFor(null).canActivate(contextFor('health', GET()))).resolves.toBe(true);
  });

  it('fails closed on a route that declares no rule', async () => {
    expect(await codeOf(guardFor(principal({ isOperator: true })).canActivate(contextFor('undeclared', GET())))).toBe(
      'plain: Routes.undeclared declares no @Access rule',
    );
  });

  it('answers 401 to anonymous callers of a non-public route', async () => {
    expect(await codeOf(guardFor(null).canActivate(contextFor('audit', GET())))).toBe(ErrorCode.Unauthenticated);
  });

  it('answers 403 when the role is not listed', async () => {
    expect(await codeOf(guardFor(principal()).canActivate(contextFor('audit', GET())))).toBe(ErrorCode.Forbidden);
  });

  it("answers 404 for another tenant's venue, the same as for a missing one", async () => {
    const guard = guardFor(principal({ memberships: [{ organisationId: 'org-b', role: 'venue_manager' }] }));
    expect(await codeOf(guard.canActivate(contextFor('editVenue', GET({ venueId: 'venue-of-a' }))))).toBe(
      ErrorCode.NotFound,
    );
    expect(await codeOf(guard.canActivate(contextFor('editVenue', GET({ venueId: 'missing' }))))).toBe(
      ErrorCode.NotFound,
    );
  });

  it('allows the own venue, and operators any venue without asking the resolver', async () => {
    expect(
      await codeOf(guardFor(principal()).canActivate(contextFor('editVenue', GET({ venueId: 'venue-of-a' })))),
    ).toBe('allowed');
    const operator = principal({ isOperator: true, memberships: [] });
    expect(await codeOf(guardFor(operator).canActivate(contextFor('editVenue', GET({ venueId: 'anything' }))))).toBe(
      'allowed',
    );
  });

  it('requires the CSRF token on unsafe methods for cookie sessions, not for API tokens', async () => {
    const session = principal({ credential: { kind: 'session', sessionId: 's1', csrfToken: 'good' } });
    const post = (headers: AuthRequest['headers']): AuthRequest => ({
      method: 'POST',
      headers,
      params: { venueId: 'venue-of-a' },
    });
    expect(await codeOf(guardFor(session).canActivate(contextFor('editVenue', post({}))))).toBe(ErrorCode.CsrfInvalid);
    expect(await codeOf(guardFor(session).canActivate(contextFor('editVenue', post({ 'x-csrf-token': 'bad' }))))).toBe(
      ErrorCode.CsrfInvalid,
    );
    expect(await codeOf(guardFor(session).canActivate(contextFor('editVenue', post({ 'x-csrf-token': 'good' }))))).toBe(
      'allowed',
    );
    expect(await codeOf(guardFor(principal()).canActivate(contextFor('editVenue', post({}))))).toBe('allowed');
  });
});

describe('@Access', () => {
  it('refuses inconsistent declarations when the class is defined', () => {
    expect(() => Access({ scope: 'public', roles: ['operator'] })).toThrow('a public endpoint takes no roles');
    expect(() => Access({ scope: 'tenant', roles: [] })).toThrow("scope 'tenant' needs at least one role");
    expect(() => Access({ scope: 'tenant', roles: ['operator'], param: 'x' })).toThrow("'param' only applies");
  });
});

describe('ScopeResolvers', () => {
  it('fails closed for a scope nobody registered, and refuses double registration', () => {
    const resolvers = new ScopeResolvers();
    expect(() => resolvers.get('track')).toThrow("no resolver is registered for access scope 'track'");
    resolvers.register('track', { canSee: () => Promise.resolve(true) });
    expect(() => resolvers.register('track', { canSee: () => Promise.resolve(true) })).toThrow('already registered');
  });
});
