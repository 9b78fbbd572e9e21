import type { PlanProgrammeDoc, PlanTrackDoc } from '@roomtone/provisioning';
import { type RecentPlays } from './history';

/** A chosen track and which repetition rules had to be relaxed to choose it (empty: none). */
export interface Pick {
  trackId: string;
  relaxed: Relaxation[];
}

/** Rules given up, in this order, when nothing satisfies all of them (README "Programme rules"). */
export type Relaxation = 'artist-separation' | 'repeat-window';

export interface PickerDeps {
  track: (trackId: string) => PlanTrackDoc | undefined;
  history: RecentPlays;
  /** Seed of this appliance's shuffles (stable per programme and pass, so a shuffle is reproducible in tests). */
  seed: number;
}

/**
 * Chooses the next track of one programme. 'ordered' walks `trackIds` in order and loops, resuming after the
 * programme's last play in the history (so a restart continues where it was). 'shuffled' plays seeded shuffles, a
 * new one per pass, never starting a pass with the track that ended the previous one. Both honour the repeat window
 * (same track) and the artist separation (same artist) against the recent history, relaxing artist separation first,
 * then the repeat window (least recently played wins), rather than going silent. Only tracks `playable(id)` accepts
 * are considered (cached ones, or any while previews can be streamed).
 */
export class ProgrammePicker {
  private pass = 0;
  private order: string[];
  private cursor = 0;
  /** Ordered programmes: tracks passed over for a rule, played as soon as the rules allow (order is kept). */
  private deferred: string[] = [];

  constructor(
    private readonly programme: PlanProgrammeDoc,
    private readonly deps: PickerDeps,
  ) {
    this.order = this.programme.order === 'ordered' ? [...programme.trackIds] : this.shuffled(undefined);
    if (programme.order === 'ordered') {
      const last = deps.history.lastOfProgramme(programme.id);
      const at = last ? this.order.indexOf(last.trackId) : -1;
      this.cursor = at >= 0 ? at + 1 : 0;
    }
  }

  get programmeId(): string {
    return this.programme.id;
  }

  /** The next track for a play starting at `atMs`, or null when no track of the programme is playable. */
  next(atMs: number, playable: (trackId: string) => boolean): Pick | null {
    const n = this.order.length;
    if (n === 0) return null;
    const candidates: { index: number; trackId: string; deferred?: boolean }[] = [];
    for (const trackId of this.deferred) {
      if (playable(trackId)) candidates.push({ index: -1, trackId, deferred: true });
    }
    for (let k = 0; k < n; k++) {
      const index = (this.cursor + k) % n;
      const trackId = this.order[index];
      if (playable(trackId) && !this.deferred.includes(trackId)) candidates.push({ index, trackId });
    }
    if (candidates.length === 0) return null;
    const repeatMs = this.programme.repeatWindowMinutes * 60_000;
    const artistMs = this.programme.artistSeparationMinutes * 60_000;
    const trackOk = (id: string): boolean => {
      if (repeatMs <= 0) return true;
      const last = this.deps.history.lastOfTrack(id);
      return !last || atMs - last.startedAtMs >= repeatMs;
    };
    const artistOk = (id: string): boolean => {
      const artist = this.deps.track(id)?.artist;
      if (artistMs <= 0 || !artist) return true;
      const last = this.deps.history.lastOfArtist(artist);
      return !last || atMs - last.startedAtMs >= artistMs;
    };
    let chosen = candidates.find((c) => trackOk(c.trackId) && artistOk(c.trackId));
    const relaxed: Relaxation[] = [];
    if (!chosen) {
      relaxed.push('artist-separation');
      chosen = candidates.find((c) => trackOk(c.trackId));
    }
    if (!chosen) {
      relaxed.push('repeat-window');
      // Least recently played first; never played counts as oldest.
      const age = (id: string): number => this.deps.history.lastOfTrack(id)?.startedAtMs ?? -Infinity;
      chosen = candidates.reduce((best, c) => (age(c.trackId) < age(best.trackId) ? c : best));
    }
    if (chosen.deferred) {
      this.deferred = this.deferred.filter((id) => id !== chosen.trackId);
    } else {
      if (this.programme.order === 'ordered') {
        // Candidates passed over before the chosen one were blocked by a rule: they come back first.
        for (const c of candidates) {
          if (c === chosen) break;
          if (!c.deferred && !this.deferred.includes(c.trackId)) this.deferred.push(c.trackId);
        }
      }
      this.advancePast(chosen.index);
    }
    return { trackId: chosen.trackId, relaxed };
  }

  private advancePast(index: number): void {
    if (this.programme.order === 'ordered') {
      this.cursor = (index + 1) % this.order.length;
      return;
    }
    // Shuffled: the chosen track leaves this pass (swap it to the cursor), and a new pass starts once all have played.
    // A track taken from the already-played part (the rules left nothing else) does not advance the pass.
    if (index < this.cursor) return;
    const taken = this.order[index];
    this.order[index] = this.order[this.cursor];
    this.order[this.cursor] = taken;
    this.cursor += 1;
    if (this.cursor >= this.order.length) {
      this.pass += 1;
      this.order = this.shuffled(taken);
      this.cursor = 0;
    }
  }

  /** A seeded Fisher-Yates shuffle of the programme for the current pass; `avoidFirst` is not put first. */
  private shuffled(avoidFirst: string | undefined): string[] {
    const out = [...this.programme.trackIds];
    const random = mulberry32(
      hashSeed(`${this.deps.seed}:${this.programme.id}:${this.programme.version}:${this.pass}`),
    );
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    if (avoidFirst !== undefined && out.length > 1 && out[0] === avoidFirst) {
      [out[0], out[out.length - 1]] = [out[out.length - 1], out[0]];
    }
    return out;
  }
}

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Small, fast, seedable PRNG (uniform in [0, 1)); shuffles need reproducibility, not cryptographic strength. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
