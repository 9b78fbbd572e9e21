import { Injectable } from '@nestjs/common';
import type { RowScope } from './access-rule';
import type { TenantFilter } from './principal';

/**
 * Answers "does the row with this id pass this tenant filter?" for one row scope. False for rows that do not exist
 * too, so the guard gives the same 404 for "not yours" and "no such row" and ids of other tenants cannot be probed.
 */
export interface RowScopeResolver {
  canSee(tenants: TenantFilter, id: string): Promise<boolean>;
}

/**
 * Where each feature registers the resolver for the rows it owns (venues register venue, zone, venue group and
 * organisation; the catalogue registers track), typically in its module's `onModuleInit`.
 */
@Injectable()
export class ScopeResolvers {
  private readonly resolvers = new Map<RowScope, RowScopeResolver>();

  /** Registers the resolver for `scope`; a second registration is a programming error. */
  register(scope: RowScope, resolver: RowScopeResolver): void {
    if (this.resolvers.has(scope)) throw new Error(`a resolver for scope '${scope}' is already registered`);
    this.resolvers.set(scope, resolver);
  }

  /** The resolver for `scope`; throws when no feature registered one, so such routes fail closed. */
  get(scope: RowScope): RowScopeResolver {
    const resolver = this.resolvers.get(scope);
    if (resolver === undefined) throw new Error(`no resolver is registered for access scope '${scope}'`);
    return resolver;
  }
}
