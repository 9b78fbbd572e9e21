import { createHash } from 'node:crypto';
import { canonicalBytes, type PlayRecord } from '@roomtone/provisioning';

/** prevHash of sequence 1. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The chain hash of a closed play (provisioning/src/api/plays.ts): SHA-256, lowercase hex, of the RFC 8785 canonical
 * JSON of the whole uploaded record except `hash` itself, so it covers sequence, prevHash, secondsAudible and ended.
 */
export function playHash(record: Omit<PlayRecord, 'hash'>): string {
  const { hash: _ignored, ...rest } = record as PlayRecord;
  return createHash('sha256').update(canonicalBytes(rest)).digest('hex');
}
