import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { fromBase64Url, verifyRequest, type KnownKey, type Sodium } from '@roomtone/provisioning';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '../../common/errors';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { provisioningClock, SODIUM } from '../../trust/sodium.provider';
import { AppliancesRepository } from '../appliances.repository';
import type { Appliance } from '../entities/appliance.entity';
import { DatabaseNonceStore, type SignedNonce } from './database-nonce-store';
import { toSignatureError } from './signature-errors';

/** A request after this guard: Nest's rawBody option keeps the exact body bytes the digest covers. */
export interface SignedRequest extends FastifyRequest {
  rawBody?: Buffer;
  appliance?: Appliance;
  /** On `@NonceStoredWithWrite()` routes: the verified nonce, for the handler's write to store. */
  signedNonce?: SignedNonce;
}

/** Metadata key of {@link NONCE_STORED_WITH_WRITE} routes (set by `@NonceStoredWithWrite()`). */
export const NONCE_STORED_WITH_WRITE = 'roomtone:nonce-stored-with-write';

/**
 * Verifies the RFC 9421 signature of an appliance request before any handler, pipe or interceptor runs: covered
 * components, clock skew (ROOMTONE_SIGNATURE_MAX_SKEW_S), key known and not revoked (with the revocation reason),
 * Content-Digest against the raw body bytes, the Ed25519 signature, and a nonce never seen before (shared table).
 * Each failure is a 401 whose code names the check. On success the appliance row is on the request.
 *
 * The nonce is stored before the handler runs, as its own write, except on routes marked `@NonceStoredWithWrite()`
 * (check-in, play intake): there the guard leaves the nonce on the request, and the handler stores it in the same
 * transaction as its own write, which refuses a replay (the same 401). On SQLite that saves each request a second
 * wait for the writer thread (play intake went from 19-23k to 25-30k plays/s: bench/results/intake.md), and the
 * nonce and the write commit together.
 */
@Injectable()
export class SignedRequestGuard implements CanActivate {
  private readonly publicUrl: URL;

  constructor(
    @Inject(SODIUM) private readonly sodium: Sodium,
    private readonly appliances: AppliancesRepository,
    private readonly nonces: DatabaseNonceStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.publicUrl = new URL(config.publicUrl);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const body = this.rawBodyOf(request);
    let appliance: Appliance | null = null;
    const withWrite = this.reflector.getAllAndOverride<boolean>(NONCE_STORED_WITH_WRITE, [
      context.getHandler(),
      context.getClass(),
    ]);
    try {
      await verifyRequest(
        { method: request.method, targetUri: this.targetUri(request), headers: request.headers, body },
        {
          sodium: this.sodium,
          clock: provisioningClock(this.clock),
          maxSkewMs: this.config.signatureMaxSkewMs,
          nonces: withWrite ? this.nonces.deferred((nonce) => (request.signedNonce = nonce)) : this.nonces,
          lookupKey: async (keyId): Promise<KnownKey | null> => {
            appliance = await this.appliances.findForSignature(keyId);
            const publicKey = appliance ? fromBase64Url(appliance.signingKey, 32) : undefined;
            if (!appliance || !publicKey) return null;
            return { publicKey, revoked: appliance.status === 'revoked', revokedReason: appliance.revokedReason };
          },
        },
      );
    } catch (error) {
      throw toSignatureError(error);
    }
    request.appliance = appliance ?? undefined;
    return true;
  }

  /**
   * The URI the appliance addressed. Behind a proxy the hub only knows it through ROOMTONE_PUBLIC_URL, so when the
   * Host header names the public host the public scheme and host are used; otherwise (direct connections, tests on
   * a random port) the request's own Host. Either way the signature covers the host, so a request signed for one
   * hub cannot be replayed against another.
   */
  private targetUri(request: SignedRequest): string {
    const host = request.headers.host ?? '';
    const base = host === this.publicUrl.host ? this.publicUrl.origin : `${request.protocol}://${host}`;
    return `${base}${request.url}`;
  }

  private rawBodyOf(request: SignedRequest): Uint8Array {
    if (request.rawBody !== undefined) return request.rawBody;
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > 0 || request.headers['transfer-encoding'] !== undefined) {
      // A body the JSON parser did not keep cannot be checked against its digest: refuse rather than guess.
      throw new AppError(
        ErrorCode.UnsupportedMediaType,
        'signed requests must send their body as application/json so the hub can check its Content-Digest',
      );
    }
    return new Uint8Array(0);
  }
}
