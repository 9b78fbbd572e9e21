/** Where a play came from and at what quality (../shared/DOMAIN.md "What each play should record"). */
export type PlaySource = 'scheduled' | 'override' | 'announcement' | 'preview';

/**
 * One play in the appliance's play log, as uploaded. `hash` = SHA-256 hex of the RFC 8785 canonical JSON of the
 * record without `hash`; `prevHash` = the previous record's hash (64 zeros for sequence 1), so the log is a chain.
 */
export interface PlayRecord {
  /** Made by the appliance (uuid); the idempotency key. */
  playId: string;
  /** 1, 2, 3... per appliance, with no gaps on the appliance side. */
  sequence: number;
  prevHash: string;
  hash: string;
  trackId: string;
  planId: string | null;
  programmeId: string | null;
  blockId: string | null;
  rule: string | null;
  startedAt: string;
  /** Seconds the track was audible (after fades and stops). */
  secondsAudible: number;
  source: PlaySource;
  quality: 'full' | 'preview';
  /** True when the appliance had not reached the hub within its check-in interval when the play started. */
  offline: boolean;
  /** How the play ended: 'completed', 'stopped' (block end, schedule change), 'interrupted' (closed after a crash). */
  ended: 'completed' | 'stopped' | 'interrupted';
  [key: string]: string | number | boolean | null;
}

/** POST /appliance/v1/plays body (the request signature covers its Content-Digest: the batch is signed). */
export interface PlayBatch {
  plays: PlayRecord[];
}

/** Why the hub stored a play but flagged it (never dropped). */
export type PlayFlag = 'overlap' | 'longer-than-track' | 'future' | 'not-in-plan' | 'chain-mismatch' | 'unknown-track';

/** POST /appliance/v1/plays answer. */
export interface PlayBatchResult {
  /** Newly stored by this request. */
  accepted: number;
  /** Already stored (same playId): counted once. */
  duplicates: number;
  flagged: { playId: string; flags: PlayFlag[] }[];
  /** Sequence numbers missing at the hub after this batch, as closed ranges. */
  gaps: { from: number; to: number }[];
  /** Highest sequence stored with every lower one; the appliance deletes its log up to here. */
  storedThrough: number;
  /**
   * Plays NOT stored because the hub already holds other content under their playId or sequence (the stored play
   * stands; a log that rewrites history is a fault to investigate, not to retry). Absent from older hubs.
   */
  conflicts?: { playId: string; sequence: number; reason: string }[];
}

/** At most this many plays per batch (413 PAYLOAD_TOO_LARGE above). */
export const MAX_PLAYS_PER_BATCH = 1000;
