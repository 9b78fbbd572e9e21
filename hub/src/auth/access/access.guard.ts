import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCode } from '../../common/errors';
import { csrfTokenMatches, CSRF_HEADER, isUnsafeMethod } from '../csrf/csrf';
import { ACCESS_RULE } from './access.decorator';
import { isRowScope, type AccessRule } from './access-rule';
import type { AuthRequest } from './http-request';
import { rolesOf, tenantFilter, type Principal } from './principal';
import { ScopeResolvers } from './scope-resolvers';

/** Finds who is calling from the request's credentials (session cookie or bearer token); null when nobody. */
export abstract class Authenticator {
  abstract authenticate(request: AuthRequest): Promise<Principal | null>;
}

/**
 * The one authorisation gate, installed globally. In order: the route must declare a rule (fail closed otherwise);
 * the caller is identified (401 if a non-public route has nobody); cookie sessions must send the CSRF token on unsafe
 * methods (403); the caller's role must be listed (403); and for row scopes the row named by the route parameter must
 * be visible to the caller (404, indistinguishable from a missing row).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly resolvers: ScopeResolvers,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule === undefined) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no @Access rule`);
    }
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const principal = await this.authenticator.authenticate(request);
    if (principal !== null) request.principal = principal;
    if (rule.scope === 'public') return true;
    if (principal === null) {
      throw new AppError(ErrorCode.Unauthenticated, 'sign in first (POST /auth/login) or send a valid API token');
    }
    checkCsrf(request, principal);
    if (rule.roles === undefined) {
      // 'own' routes open to any signed-in user: they only ever touch the caller's own rows.
      request.access = { rule, tenants: { all: false, organisationIds: [], venueIds: [] } };
      return true;
    }
    const roles = rule.roles;
    const held = rolesOf(principal);
    if (!roles.some((role) => held.has(role))) {
      throw new AppError(ErrorCode.Forbidden, `this action needs one of the roles: ${roles.join(', ')}`);
    }
    const tenants = tenantFilter(principal, roles);
    request.access = { rule, tenants };
    if (isRowScope(rule.scope) && !tenants.all) {
      const param = rule.param ?? 'id';
      const id = request.params?.[param];
      if (id === undefined) throw new Error(`@Access: route has no parameter '${param}' for scope '${rule.scope}'`);
      if (!(await this.resolvers.get(rule.scope).canSee(tenants, id))) {
        throw AppError.notFound(`${rule.scope} ${id}`);
      }
    }
    return true;
  }
}

function checkCsrf(request: AuthRequest, principal: Principal): void {
  if (principal.credential.kind !== 'session' || !isUnsafeMethod(request.method)) return;
  if (!csrfTokenMatches(principal.credential.csrfToken, request.headers[CSRF_HEADER])) {
    throw new AppError(
      ErrorCode.CsrfInvalid,
      'missing or wrong X-CSRF-Token header: send the csrfToken returned by POST /auth/login or GET /auth/csrf',
    );
  }
}
