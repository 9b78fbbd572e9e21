import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import type { Track } from './entities/track.entity';
import { TracksRepository } from './repositories/tracks.repository';
import { MediaStore } from './storage/media-store';

/** What delivery needs to know about a ready track's renditions (columns of `tracks`). */
export interface RenditionFactValues {
  deliverySizeBytes: number;
  deliverySha256: string;
  previewSizeBytes: number;
}

/** A ready track whose rendition facts are known. */
export type TrackWithFacts = Track & { deliverySizeBytes: number; deliverySha256: string; previewSizeBytes: number };

/** Size and SHA-256 of a file, read as a stream (never whole in memory). */
export async function fileFacts(file: string, signal?: AbortSignal): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  await pipeline(
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        hash.update(chunk);
        done();
      },
    }),
    { signal },
  );
  return { sizeBytes, sha256: hash.digest('hex') };
}

export function hasFacts(track: Track): track is TrackWithFacts {
  return track.deliverySizeBytes !== null && track.deliverySha256 !== null && track.previewSizeBytes !== null;
}

/**
 * Rendition facts of ready tracks. Ingest records them when a track becomes ready; tracks made ready before they were
 * recorded get them here: lazily on first use (`ensure`) and in the background at boot (one track at a time, so a
 * large catalogue does not compete with requests).
 */
@Injectable()
export class RenditionFacts implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RenditionFacts');
  private readonly abort = new AbortController();
  private readonly inFlight = new Map<string, Promise<TrackWithFacts>>();
  private backfill: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly tracks: TracksRepository,
    private readonly store: MediaStore,
  ) {}

  onApplicationBootstrap(): void {
    this.backfill = this.fillMissing().catch((error: unknown) => {
      if (!this.abort.signal.aborted)
        this.logger.warn({ msg: 'rendition facts backfill stopped', error: String(error) });
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.backfill;
  }

  /** Resolves when the boot backfill has finished (tests). */
  whenBackfilled(): Promise<void> {
    return this.backfill;
  }

  /** Reads the facts of a track's rendition files as they are on disk now. */
  async measure(trackId: string, signal?: AbortSignal): Promise<RenditionFactValues> {
    const delivery = await fileFacts(this.store.deliveryPath(trackId), signal);
    const preview = await stat(this.store.previewPath(trackId));
    return { deliverySizeBytes: delivery.sizeBytes, deliverySha256: delivery.sha256, previewSizeBytes: preview.size };
  }

  /**
   * The track with its rendition facts, measuring and storing them first when a ready track lacks them. Throws when
   * the track is not ready (it has no renditions yet) or a rendition file is missing.
   */
  async ensure(track: Track): Promise<TrackWithFacts> {
    if (hasFacts(track)) return track;
    if (track.status !== 'ready') throw new Error(`track ${track.id} is ${track.status}: it has no renditions yet`);
    let pending = this.inFlight.get(track.id);
    if (!pending) {
      pending = this.fill(track).finally(() => this.inFlight.delete(track.id));
      this.inFlight.set(track.id, pending);
    }
    return pending;
  }

  private async fill(track: Track): Promise<TrackWithFacts> {
    const facts = await this.measure(track.id, this.abort.signal);
    await this.tracks.updateTrack(track.id, { ...facts, updatedAt: this.clock.now() });
    this.logger.log({ msg: 'rendition facts recorded', trackId: track.id });
    return { ...track, ...facts };
  }

  private async fillMissing(): Promise<void> {
    let filled = 0;
    let afterId = '';
    for (;;) {
      if (this.abort.signal.aborted) return;
      const batch = await this.tracks.readyWithoutFacts(afterId, 50);
      if (batch.length === 0) break;
      for (const track of batch) {
        if (this.abort.signal.aborted) return;
        afterId = track.id;
        try {
          await this.ensure(track);
          filled += 1;
        } catch (error) {
          if (this.abort.signal.aborted) return;
          this.logger.warn({ msg: 'cannot record rendition facts', trackId: track.id, error: String(error) });
        }
      }
    }
    if (filled > 0) this.logger.log({ msg: 'rendition facts backfilled', count: filled });
  }
}
