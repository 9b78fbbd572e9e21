import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { isRowScope, type AccessRule } from './access-rule';

/** Metadata key the guard and the authorisation matrix test read. */
export const ACCESS_RULE = 'roomtone:access-rule';

/**
 * Declares who may call an endpoint and on whose data. Every route must carry one (on the method, or on the controller
 * for all its methods): the global guard refuses routes without a rule, and the authorisation matrix test fails.
 *
 * @example `@Access({ roles: ['operator', 'venue_manager'], scope: 'venue', param: 'venueId' })`
 */
export function Access(rule: AccessRule): MethodDecorator & ClassDecorator {
  if (rule.scope === 'public' && rule.roles !== undefined) {
    throw new Error('@Access: a public endpoint takes no roles');
  }
  if (rule.scope !== 'public' && rule.scope !== 'own' && (rule.roles === undefined || rule.roles.length === 0)) {
    throw new Error(`@Access: scope '${rule.scope}' needs at least one role`);
  }
  if (rule.roles !== undefined && rule.roles.length === 0) throw new Error('@Access: roles must not be empty');
  if (rule.param !== undefined && !isRowScope(rule.scope)) {
    throw new Error(`@Access: 'param' only applies to row scopes, not '${rule.scope}'`);
  }
  const roles = rule.roles === undefined ? undefined : Object.freeze([...rule.roles]);
  const frozen = Object.freeze({ ...rule, roles });
  // Also in the OpenAPI document, so API users and reviewers see who may call each operation on whose data.
  const documented = { scope: rule.scope, roles: roles ?? (rule.scope === 'public' ? [] : 'any signed-in user') };
  return applyDecorators(SetMetadata(ACCESS_RULE, frozen), ApiExtension('x-roomtone-access', documented));
}

/** Shorthand for `@Access({ scope: 'public' })`: no sign-in needed. */
export function Public(): MethodDecorator & ClassDecorator {
  return Access({ scope: 'public' });
}
