import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthRequest } from './http-request';
import type { Principal, TenantFilter } from './principal';

/**
 * The signed-in caller, for handlers whose rule is not public. The guard has already refused anonymous callers, so a
 * missing principal here is a programming error (a public route asking for one).
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthRequest>().principal;
  if (principal === undefined) throw new Error('CurrentPrincipal used on a route without a signed-in caller');
  return principal;
});

/**
 * The tenants the caller sees under the route's rule (every tenant for operators when the rule lists them). Services
 * take this and filter in their queries, so list endpoints only ever return the caller's rows.
 */
export const Tenants = createParamDecorator((_data: unknown, context: ExecutionContext): TenantFilter => {
  const access = context.switchToHttp().getRequest<AuthRequest>().access;
  if (access === undefined) throw new Error('Tenants used on a route without a signed-in caller');
  return access.tenants;
});
