import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { HubSigningKey } from '@roomtone/provisioning';

const CONTEXT = Buffer.from('roomtone-enrolment-code-hash-v1\n', 'utf8');

/**
 * Hashes enrolment codes with a key only the hub holds. A code has 50 random bits: a plain hash in a leaked database
 * could be brute-forced offline within its 24 hours. Ed25519 signatures are deterministic, so sha256 of the hub's
 * signature over the code is a keyed hash without a second secret to manage; a new hub key voids open codes, which
 * is the safe outcome.
 */
@Injectable()
export class CodeHasher {
  constructor(private readonly key: HubSigningKey) {}

  /** Hex digest of a canonical (11-character) code. */
  hash(canonicalCode: string): string {
    const signature = this.key.sign(Buffer.concat([CONTEXT, Buffer.from(canonicalCode, 'utf8')]));
    return createHash('sha256').update(signature).digest('hex');
  }
}
