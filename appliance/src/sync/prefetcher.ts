import type { PlanTrackDoc } from '@roomtone/provisioning';
import { CacheError } from '../cache/cache-errors';
import type { TrackCache } from '../cache/track-cache';
import type { SyncLogger } from './logger';

/** Result of one prefetch round, for `status` and tests. */
export interface PrefetchRound {
  fetched: string[];
  failed: { trackId: string; message: string }[];
  /** Why the round stopped early (disk full, budget), else null. */
  stoppedBecause: string | null;
}

/**
 * Downloads every track the plan needs and the cache lacks, soonest `neededFrom` first, `concurrency` (1 or 2) at a
 * time. Disk full or an exhausted budget ends the round (retried at the next check-in); other failures are
 * recorded and the round moves on.
 */
export async function prefetch(
  cache: TrackCache,
  tracks: PlanTrackDoc[],
  options: { concurrency?: number; signal?: AbortSignal; logger?: SyncLogger } = {},
): Promise<PrefetchRound> {
  const queue = tracks
    .filter((t) => !cache.has(t.id))
    .sort((a, b) => Date.parse(a.neededFrom) - Date.parse(b.neededFrom) || a.id.localeCompare(b.id));
  const round: PrefetchRound = { fetched: [], failed: [], stoppedBecause: null };
  const worker = async (): Promise<void> => {
    for (;;) {
      if (round.stoppedBecause || options.signal?.aborted) return;
      const track = queue.shift();
      if (!track) return;
      try {
        await cache.fetch(track, options.signal);
        round.fetched.push(track.id);
      } catch (error) {
        const message = (error as Error).message;
        round.failed.push({ trackId: track.id, message });
        options.logger?.({ event: 'download-failed', trackId: track.id, message });
        if (error instanceof CacheError && (error.code === 'DISK_FULL' || error.code === 'OVER_BUDGET')) {
          round.stoppedBecause = message;
        }
      }
    }
  };
  const n = Math.max(1, Math.min(2, options.concurrency ?? 2));
  await Promise.all(Array.from({ length: n }, () => worker()));
  return round;
}
