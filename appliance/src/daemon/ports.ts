import type { LicencePayload, PlanPayload, PlanTrackDoc, PlayRecord, PlaySource } from '@roomtone/provisioning';

/*
 * The seams between the appliance's parts. Sync (appliance/src/sync), the cache (appliance/src/cache) and the play
 * log (appliance/src/playlog) implement them; playback (appliance/src/playback) and the daemon's composition root
 * (appliance/src/daemon) use them. Fakes of these ports are for unit tests of playback logic only.
 */

/**
 * What a play is when it starts; the log adds sequence, chain hashes, audible time and how it ended. (A Pick, not an
 * Omit: PlayRecord's index signature would make an Omit accept anything.)
 */
export type PlayStart = Pick<
  PlayRecord,
  'playId' | 'trackId' | 'planId' | 'programmeId' | 'blockId' | 'rule' | 'startedAt' | 'source' | 'quality' | 'offline'
>;

/** The durable play log (SQLite, WAL, synchronous=FULL): every play is on disk before its audio starts. */
export interface PlayLogPort {
  /** Appends the play (durably) and returns its sequence number. */
  begin(play: PlayStart): number;
  /** Records audible time so far (cheap; called every few seconds so a crash loses at most that much). */
  progress(sequence: number, secondsAudible: number): void;
  /** Closes the play (durably). */
  end(sequence: number, secondsAudible: number, ended: 'completed' | 'stopped'): void;
  /** Plays not yet acknowledged by the hub, and the highest sequence written. */
  stats(): { pending: number; lastSequence: number };
}

/** Encrypted tracks on disk; decrypted only in memory, chunk by chunk, while playing. */
export interface TrackCachePort {
  /** True when the track's encrypted file is complete and verified. */
  has(trackId: string): boolean;
  /** The decrypted delivery rendition (MP3 bytes), streamed from the encrypted file; throws if missing or corrupt. */
  open(trackId: string): AsyncIterable<Uint8Array>;
  stats(): { tracks: number; bytes: number; budgetBytes: number; missing: number };
}

/** What sync knows and fetches from the hub. */
export interface HubLinkPort {
  /** The last verified plan and licence (persisted: they survive a restart with no network). */
  plan(): PlanPayload | null;
  licence(): LicencePayload | null;
  /** Signed hub time of the last successful check-in, and the monotonic instant (performance.now()) it was received. */
  lastHubTime(): { hubTimeMs: number; monotonicMs: number } | null;
  /** True when the last check-in succeeded within the check-in interval (plays are then not 'offline'). */
  online(): boolean;
  /** The preview rendition streamed from the hub into memory (never written to disk). */
  openPreview(trackId: string): AsyncIterable<Uint8Array>;
  /** Track metadata from the current plan. */
  track(trackId: string): PlanTrackDoc | undefined;
}

export type { PlaySource };
