import { existsSync, readFileSync } from 'node:fs';
import { replaceFileAsync } from './atomic-file';

/** One play the repetition rules look back at. */
export interface RecentPlay {
  trackId: string;
  artist: string | null;
  programmeId: string | null;
  startedAtMs: number;
}

/** Longest look-back any programme rule may need (a day): older plays are dropped. */
const KEEP_MS = 24 * 3_600_000;
const MAX_ENTRIES = 2_000;

/**
 * The recent plays the programme rules (repeat window, artist separation, ordered position) look back at. It survives
 * a restart: `persistTo` is rewritten (atomically, in the background) after each play, so a crash-restarted appliance
 * does not replay the track it just played.
 */
export class RecentPlays {
  private readonly plays: RecentPlay[] = [];
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(private readonly persistTo?: string) {
    if (persistTo && existsSync(persistTo)) {
      try {
        const parsed = JSON.parse(readFileSync(persistTo, 'utf8')) as { plays?: RecentPlay[] };
        for (const p of parsed.plays ?? []) {
          if (typeof p.trackId === 'string' && Number.isFinite(p.startedAtMs)) this.plays.push(p);
        }
      } catch {
        // A damaged history only weakens the repetition rules for a while; it must not stop the music.
      }
    }
  }

  /** Records a play (newest last) and persists the history. */
  add(play: RecentPlay): void {
    this.plays.push(play);
    const cutoff = play.startedAtMs - KEEP_MS;
    while (this.plays.length > 0 && (this.plays[0].startedAtMs < cutoff || this.plays.length > MAX_ENTRIES)) {
      this.plays.shift();
    }
    this.persist();
  }

  /** Resolves once everything added so far is on disk (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.writing;
  }

  /**
   * Writes in the background, one write at a time, the latest state only: the history is a hint for the rules, and
   * the player's thread must not wait for the disk.
   */
  private persist(): void {
    const path = this.persistTo;
    if (!path) return;
    if (this.dirty) return;
    this.dirty = true;
    this.writing = this.writing.then(async () => {
      this.dirty = false;
      await replaceFileAsync(path, `${JSON.stringify({ plays: this.plays })}\n`, 0o600).catch(() => undefined);
    });
  }

  /** Newest play of the track, if any. */
  lastOfTrack(trackId: string): RecentPlay | undefined {
    for (let i = this.plays.length - 1; i >= 0; i--) if (this.plays[i].trackId === trackId) return this.plays[i];
    return undefined;
  }

  /** Newest play by the artist, if any. */
  lastOfArtist(artist: string): RecentPlay | undefined {
    for (let i = this.plays.length - 1; i >= 0; i--) if (this.plays[i].artist === artist) return this.plays[i];
    return undefined;
  }

  /** Newest play of the programme, if any. */
  lastOfProgramme(programmeId: string): RecentPlay | undefined {
    for (let i = this.plays.length - 1; i >= 0; i--)
      if (this.plays[i].programmeId === programmeId) return this.plays[i];
    return undefined;
  }

  all(): readonly RecentPlay[] {
    return this.plays;
  }
}
