import { hash } from 'node:crypto';
import type { PlayFlag, PlayRecord } from '@roomtone/provisioning';

/** `future`: a play may start at most this far after the hub's now (appliance clocks drift a little). */
export const FUTURE_TOLERANCE_MS = 60_000;
/** `longer-than-track`: audible seconds may exceed the track's duration by this much (decoder padding, rounding). */
export const DURATION_TOLERANCE_S = 2;
/**
 * `overlap`: two plays of a zone may overlap by this much before it counts: a crossfade plays the end of one track
 * over the start of the next, and the plan's crossfade is at most a few seconds.
 */
export const OVERLAP_TOLERANCE_MS = 12_000;
/** The prevHash of sequence 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** PlayRecord's fields without `hash`, in RFC 8785 member order (UTF-16 code units: Array.prototype.sort). */
const HASHED_FIELDS = [
  'playId',
  'sequence',
  'prevHash',
  'trackId',
  'planId',
  'programmeId',
  'blockId',
  'rule',
  'startedAt',
  'secondsAudible',
  'source',
  'quality',
  'offline',
  'ended',
].sort();

/**
 * SHA-256 hex of the RFC 8785 canonical JSON of the record without `hash` (provisioning/src/api/plays.ts). A
 * validated record has exactly these fields, each a string without lone surrogates, a finite number, a boolean or
 * null, for which JSON.stringify writes what RFC 8785 prescribes; so the members are written directly in canonical
 * order rather than through the generic canonicalize (a quarter of intake's CPU). flags.spec.ts checks both agree.
 */
export function playHash(record: PlayRecord): string {
  let json = '{';
  for (const field of HASHED_FIELDS) {
    json += `${json.length > 1 ? ',' : ''}"${field}":${JSON.stringify(record[field])}`;
  }
  return hash('sha256', `${json}}`, 'hex');
}

/** A play's time in a zone, stored or about to be. */
export interface ZoneInterval {
  key: string;
  startMs: number;
  endMs: number;
  /** Only new plays are flagged: stored plays keep the flags they were stored with. */
  isNew: boolean;
}

/** Keys of the new intervals that overlap another interval by more than OVERLAP_TOLERANCE_MS (both are reported). */
export function overlapping(intervals: readonly ZoneInterval[]): Set<string> {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const out = new Set<string>();
  for (let i = 0; i < sorted.length; i += 1) {
    const a = sorted[i];
    // Later intervals start at or after a.startMs; only those starting before a ends (less the tolerance) can overlap.
    for (let j = i + 1; j < sorted.length && sorted[j].startMs < a.endMs - OVERLAP_TOLERANCE_MS; j += 1) {
      const b = sorted[j];
      if (!a.isNew && !b.isNew) continue;
      if (Math.min(a.endMs, b.endMs) - b.startMs > OVERLAP_TOLERANCE_MS) {
        if (a.isNew) out.add(a.key);
        if (b.isNew) out.add(b.key);
      }
    }
  }
  return out;
}

/** What flags need to know about one new play beyond the record. */
export interface PlayFacts {
  record: PlayRecord;
  startMs: number;
  /** Null when the track is not in the catalogue. */
  durationMs: number | null;
  /** The hash of the play one sequence before, when the hub has it (null: a gap, cannot tell). */
  previousHash: string | null;
  /** False: the track is in none of the plans that could have chosen it; null: no plan known, cannot tell. */
  inPlan: boolean | null;
  overlaps: boolean;
  /** Whether playHash(record) equals record.hash, when the caller computed it already (else computed here). */
  hashMatches?: boolean;
}

/** The flags of one new play, in PlayFlag order. */
export function flagsOf(facts: PlayFacts, nowMs: number): PlayFlag[] {
  const flags: PlayFlag[] = [];
  const { record } = facts;
  if (facts.overlaps) flags.push('overlap');
  if (facts.durationMs !== null && record.secondsAudible > facts.durationMs / 1000 + DURATION_TOLERANCE_S) {
    flags.push('longer-than-track');
  }
  if (facts.startMs > nowMs + FUTURE_TOLERANCE_MS) flags.push('future');
  if (facts.inPlan === false) flags.push('not-in-plan');
  const expectedPrev = record.sequence === 1 ? GENESIS_HASH : facts.previousHash;
  const hashMatches = facts.hashMatches ?? playHash(record) === record.hash;
  if ((expectedPrev !== null && record.prevHash !== expectedPrev) || !hashMatches) {
    flags.push('chain-mismatch');
  }
  if (facts.durationMs === null) flags.push('unknown-track');
  return flags;
}
