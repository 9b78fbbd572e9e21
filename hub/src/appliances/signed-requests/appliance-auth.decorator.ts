import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { Access } from '../../auth/access/access.decorator';
import type { Appliance } from '../entities/appliance.entity';
import type { SignedNonce } from './database-nonce-store';
import { NONCE_STORED_WITH_WRITE, SignedRequestGuard, type SignedRequest } from './signed-request.guard';

/** Metadata key marking a route as authenticated by an appliance signature (read by the authorisation matrix). */
export const APPLIANCE_AUTH = 'roomtone:appliance-auth';

/**
 * Makes a route an appliance endpoint: callers are appliances proving themselves with an RFC 9421 signature, not
 * users. For the global AccessGuard the route is open to anyone (`scope: 'public'`, there is no user to check) and
 * carries the APPLIANCE_AUTH marker, so the authorisation matrix lists it as appliance-authenticated; the
 * SignedRequestGuard then refuses every request that is not signed by an active appliance.
 */
export function ApplianceAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Access({ scope: 'public' }),
    SetMetadata(APPLIANCE_AUTH, true),
    UseGuards(SignedRequestGuard),
    ApiHeader({ name: 'Signature-Input', required: true, description: 'RFC 9421, keyid = appliance id, ed25519' }),
    ApiHeader({ name: 'Signature', required: true }),
  );
}

/** The appliance that signed the request (only on routes with {@link ApplianceAuth}). */
export const CurrentAppliance = createParamDecorator((_data: unknown, context: ExecutionContext): Appliance => {
  const appliance = context.switchToHttp().getRequest<SignedRequest>().appliance;
  if (appliance === undefined) throw new Error('CurrentAppliance used on a route without @ApplianceAuth()');
  return appliance;
});

/**
 * On an `@ApplianceAuth()` route whose handler writes: the guard does not store the request's nonce, the handler
 * does, in the same transaction as its write (take it with {@link SignedRequestNonce}; GroupCommit's `nonce` on
 * SQLite, DatabaseNonceStore.claimIn on PostgreSQL). A handler that does not store it leaves the route open to
 * replays: each such route has a replay test.
 */
export function NonceStoredWithWrite(): MethodDecorator {
  return SetMetadata(NONCE_STORED_WITH_WRITE, true);
}

/** The verified nonce the handler of a `@NonceStoredWithWrite()` route must store with its write. */
export const SignedRequestNonce = createParamDecorator((_data: unknown, context: ExecutionContext): SignedNonce => {
  const nonce = context.switchToHttp().getRequest<SignedRequest>().signedNonce;
  if (nonce === undefined) throw new Error('SignedRequestNonce used on a route without @NonceStoredWithWrite()');
  return nonce;
});
