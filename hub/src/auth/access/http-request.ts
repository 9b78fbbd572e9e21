import type { Principal } from './principal';

/**
 * The parts of an Express request the auth code reads. Kept structural so auth does not depend on Express's typings
 * and unit tests can pass plain objects.
 */
export interface AuthRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
  ip?: string;
  principal?: Principal;
}
