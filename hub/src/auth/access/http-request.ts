import type { AccessRule } from './access-rule';
import type { Principal, TenantFilter } from './principal';

/**
 * The parts of an HTTP request (Fastify's) the auth code reads and writes. Kept structural so auth does not depend on
 * the framework's typings and unit tests can pass plain objects.
 */
export interface AuthRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
  ip?: string;
  /** Set by the guard when the caller is known. */
  principal?: Principal;
  /** Set by the guard for non-public routes: the rule it enforced and the tenants the caller sees under it. */
  access?: { rule: AccessRule; tenants: TenantFilter };
}
