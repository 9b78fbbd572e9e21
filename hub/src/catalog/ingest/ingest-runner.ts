import { stat } from 'node:fs/promises';
import { Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { PlanInvalidations } from '../../plans/invalidation';
import type { IngestJob } from '../entities/ingest-job.entity';
import type { Track } from '../entities/track.entity';
import { analyseMaster, MediaRejectedError, planRenditions, probeMaster, writeRenditions } from '../media';
import { fileFacts } from '../rendition-facts';
import { TracksRepository } from '../repositories/tracks.repository';
import { MediaStore } from '../storage/media-store';

/** Progress is written at most this often per job, so a long transcode does not hammer the database. */
const PROGRESS_WRITE_MS = 500;

/**
 * Runs ingest jobs, at most `ingestConcurrency` at a time. Jobs are rows, so the queue survives restarts: at boot every
 * job left queued, analysing or transcoding is started again from the top (each step rewrites its outputs whole, so
 * re-running one is safe). On shutdown running ffmpeg children are killed and their jobs stay unfinished for the next
 * boot rather than being marked failed.
 */
@Injectable()
export class IngestRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ingest');
  private readonly queue: string[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tracks: TracksRepository,
    private readonly store: MediaStore,
    private readonly invalidations: PlanInvalidations,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const swept = await this.store.sweepIncoming();
    if (swept > 0) this.logger.log({ msg: 'removed unfinished uploads', count: swept });
    const unfinished = await this.tracks.unfinishedJobs();
    if (unfinished.length > 0) this.logger.log({ msg: 'resuming ingest jobs', count: unfinished.length });
    for (const job of unfinished) this.enqueue(job.id);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    this.abort.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Adds a job to the queue; it starts as soon as a slot is free. */
  enqueue(jobId: string): void {
    if (this.stopped || this.queue.includes(jobId) || this.running.has(jobId)) return;
    this.queue.push(jobId);
    this.pump();
  }

  /** Resolves when no job is queued or running (tests, the demo seed). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.config.ingestConcurrency && this.queue.length > 0) {
      const jobId = this.queue.shift()!;
      const run = this.run(jobId)
        .catch((error: unknown) => this.logger.error({ msg: 'ingest job crashed', jobId, error: String(error) }))
        .finally(() => {
          this.running.delete(jobId);
          this.pump();
          if (this.queue.length === 0 && this.running.size === 0) this.idleWaiters.splice(0).forEach((r) => r());
        });
      this.running.set(jobId, run);
    }
  }

  private async run(jobId: string): Promise<void> {
    const job = await this.tracks.findJob(jobId);
    if (!job || job.state === 'ready' || job.state === 'failed') return;
    const track = await this.tracks.findById(job.trackId);
    if (!track) return;
    await this.tracks.updateJob(job.id, {
      state: 'analysing',
      progress: 0,
      attempts: job.attempts + 1,
      updatedAt: this.clock.now(),
    });
    try {
      await this.process(job, track);
    } catch (error) {
      if (this.abort.signal.aborted) return; // shutting down: the next boot runs it again
      const reason =
        error instanceof MediaRejectedError
          ? error.message
          : `processing failed: ${error instanceof Error ? error.message : String(error)}`;
      const now = this.clock.now();
      await this.tracks.updateJob(job.id, { state: 'failed', failureReason: reason, updatedAt: now, finishedAt: now });
      // A re-ingest that fails takes the track out of the plans that held it.
      await this.tracks.transaction(async (m) => {
        await this.tracks.updateTrack(track.id, { status: 'failed', updatedAt: now }, m);
        await this.invalidations.track(m, track.id, 'track.failed');
      });
      this.logger.warn({ msg: 'ingest failed', jobId, trackId: track.id, reason });
    }
  }

  private progressWriter(jobId: string, from: number, span: number, durationSeconds: number) {
    let lastWrite = 0;
    return (seconds: number) => {
      const now = this.clock.now().getTime();
      if (now - lastWrite < PROGRESS_WRITE_MS) return;
      lastWrite = now;
      const progress = Math.min(from + span, Math.round(from + (span * seconds) / Math.max(durationSeconds, 0.001)));
      // Fire and forget: a lost progress write is harmless, the state transitions are awaited.
      this.tracks.updateJob(jobId, { progress, updatedAt: new Date(now) }).catch(() => undefined);
    };
  }

  private async process(job: IngestJob, track: Track): Promise<void> {
    const signal = this.abort.signal;
    const masterPath = this.store.masterPath(track.id, track.masterFormat);
    const master = await probeMaster(masterPath);
    const analysis = await analyseMaster(masterPath, master.durationSeconds, {
      signal,
      onProgress: this.progressWriter(job.id, 0, 50, master.durationSeconds),
    });
    await this.tracks.updateJob(job.id, { state: 'transcoding', progress: 50, updatedAt: this.clock.now() });
    const plan = planRenditions(master, analysis);
    await writeRenditions(
      masterPath,
      master,
      plan,
      { deliveryPath: this.store.deliveryPath(track.id), previewPath: this.store.previewPath(track.id) },
      { signal, onProgress: this.progressWriter(job.id, 50, 50, master.durationSeconds) },
    );
    // Rendition facts, read right after the files were written (streamed): delivery builds every download from them.
    const delivery = await fileFacts(this.store.deliveryPath(track.id), signal);
    const preview = await stat(this.store.previewPath(track.id));
    // Renditions that replace recorded ones get a new version, so download ETags and appliance caches change too.
    const renditionVersion = track.deliverySha256 !== null ? track.renditionVersion + 1 : track.renditionVersion;
    const now = this.clock.now();
    const finite = (value: number) => (Number.isFinite(value) ? value : null);
    // Plans that include the track, or whose rules programmes may now include it, are recompiled.
    await this.tracks.transaction(async (m) => {
      await this.tracks.updateTrack(
        track.id,
        {
          status: 'ready',
          loudnessLufs: finite(analysis.loudness.integratedLufs),
          truePeakDbtp: finite(analysis.loudness.truePeakDbtp),
          loudnessRangeLu: finite(analysis.loudness.rangeLu),
          cueInMs: Math.round(analysis.cueInSeconds * 1000),
          cueOutMs: Math.round(analysis.cueOutSeconds * 1000),
          durationMs: Math.round(analysis.decodedSeconds * 1000),
          deliveryKbps: plan.deliveryKbps,
          previewGainDb: plan.previewGainDb,
          deliverySizeBytes: delivery.sizeBytes,
          deliverySha256: delivery.sha256,
          previewSizeBytes: preview.size,
          renditionVersion,
          updatedAt: now,
        },
        m,
      );
      await this.invalidations.track(m, track.id, 'track.ready');
    });
    await this.tracks.updateJob(job.id, { state: 'ready', progress: 100, updatedAt: now, finishedAt: now });
    this.logger.log({ msg: 'track ready', jobId: job.id, trackId: track.id });
  }
}
