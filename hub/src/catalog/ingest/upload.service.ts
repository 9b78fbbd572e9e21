import path from 'node:path';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { Principal } from '../../auth/access/principal';
import { AppError, ErrorCode } from '../../common/errors';
import { IdGenerator } from '../../common/ids/id-generator';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { ownedLabels } from '../catalog-access';
import { normaliseIsrc } from '../dto/isrc';
import { IngestJob } from '../entities/ingest-job.entity';
import { Track } from '../entities/track.entity';
import { probeMaster, verifyDecodes, type MasterInfo } from '../media';
import { TracksRepository } from '../repositories/tracks.repository';
import { MediaStore, tooLarge, type ReceivedFile } from '../storage/media-store';
import { jobView, trackView, type UploadResult } from '../views';
import { IngestRunner } from './ingest-runner';

/** A master arriving: its bytes, how many the client announced, and the name it had. */
export interface IncomingMaster {
  body: Readable;
  declaredBytes?: number;
  filename?: string;
}

function titleFrom(filename: string | undefined): string {
  const stem = filename
    ? path
        .basename(filename)
        .replace(/\.[^.]+$/, '')
        .trim()
    : '';
  return stem.slice(0, 300) || 'Untitled';
}

/**
 * Accepts masters: streams them to disk while hashing, refuses what is not good audio (leaving no file and no row),
 * returns the existing track for content it already has, otherwise stores the track and queues its ingest job.
 */
@Injectable()
export class UploadService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly tracks: TracksRepository,
    private readonly store: MediaStore,
    private readonly runner: IngestRunner,
    private readonly audit: AuditService,
  ) {}

  /** The label an upload goes to: the one named (if the caller may use it), else the caller's only label. */
  async ownerFor(principal: Principal, organisationId: string | undefined): Promise<string> {
    const labels = ownedLabels(principal);
    if (organisationId) {
      const kind = await this.tracks.organisationKind(organisationId);
      if (kind === null || (!principal.isOperator && !labels.includes(organisationId))) {
        throw AppError.notFound(`organisation ${organisationId}`);
      }
      if (kind !== 'label') {
        throw new AppError(
          ErrorCode.BadRequest,
          `organisation ${organisationId} is not a label; tracks belong to labels`,
        );
      }
      return organisationId;
    }
    if (labels.length === 1) return labels[0];
    throw new AppError(
      ErrorCode.BadRequest,
      labels.length === 0
        ? 'name the label that owns the track: ?organisationId=<label id>'
        : `you belong to ${labels.length} labels; name the one that owns the track: ?organisationId=<label id>`,
    );
  }

  /**
   * Receives, checks and stores one master for `ownerOrganisationId`, and queues its ingest. `uploadedBy` is the
   * caller (null for the hub itself, e.g. the demo seed, which names the user in `uploaderUserId`).
   */
  async upload(
    ownerOrganisationId: string,
    incoming: IncomingMaster,
    uploadedBy: Principal | null,
    uploaderUserId: string | null = uploadedBy?.userId ?? null,
  ): Promise<UploadResult> {
    const max = this.config.maxUploadBytes;
    if (incoming.declaredBytes !== undefined && incoming.declaredBytes > max) throw tooLarge(max);
    const received = await this.store.receive(incoming.body, max);
    let adopted = false;
    try {
      const existing = await this.tracks.findByContent(ownerOrganisationId, received.sha256);
      if (existing) return await this.duplicateOf(existing);
      const master = await probeMaster(received.path);
      await verifyDecodes(received.path, master);
      const result = await this.store_(
        ownerOrganisationId,
        received,
        master,
        incoming.filename,
        uploadedBy,
        uploaderUserId,
      );
      adopted = true;
      return result;
    } finally {
      if (!adopted) await this.store.discard(received.path);
    }
  }

  private async duplicateOf(track: Track): Promise<UploadResult> {
    const job = await this.tracks.latestJobOf(track.id);
    return { track: trackView(track), job: job ? jobView(job) : null, duplicate: true, warnings: [] };
  }

  private async store_(
    owner: string,
    received: ReceivedFile,
    master: MasterInfo,
    filename: string | undefined,
    uploadedBy: Principal | null,
    uploaderUserId: string | null,
  ): Promise<UploadResult> {
    const now = this.clock.now();
    const warnings: string[] = [];
    const tags = master.tags;
    let isrc: string | null = null;
    if (tags.isrc) {
      isrc = normaliseIsrc(tags.isrc);
      if (!isrc) warnings.push(`the ISRC tag "${tags.isrc}" is not a valid ISRC (CC-XXX-YY-NNNNN); set it with PATCH`);
    }
    const year = tags.year !== undefined && tags.year >= 1900 && tags.year <= 2100 ? tags.year : null;
    const bpm = tags.bpm !== undefined && tags.bpm >= 20 && tags.bpm <= 300 ? tags.bpm : null;
    const track = Object.assign(new Track(), {
      id: this.ids.next(),
      ownerOrganisationId: owner,
      status: 'ingesting',
      contentSha256: received.sha256,
      title: (tags.title ?? titleFrom(filename)).slice(0, 300),
      artist: tags.artist?.slice(0, 300) ?? null,
      album: tags.album?.slice(0, 300) ?? null,
      label: tags.label?.slice(0, 200) ?? null,
      year,
      isrc,
      genre: tags.genre?.slice(0, 100) ?? null,
      mood: tags.mood?.slice(0, 100) ?? null,
      bpm,
      explicit: false,
      durationMs: Math.round(master.durationSeconds * 1000),
      masterFormat: master.format,
      masterSizeBytes: received.sizeBytes,
      masterBitrate: master.bitrate,
      originalFilename: filename ? path.basename(filename).slice(0, 255) : null,
      loudnessLufs: null,
      truePeakDbtp: null,
      loudnessRangeLu: null,
      cueInMs: null,
      cueOutMs: null,
      deliveryKbps: null,
      previewGainDb: null,
      deliverySizeBytes: null,
      deliverySha256: null,
      previewSizeBytes: null,
      renditionVersion: 1,
      uploadedByUserId: uploaderUserId,
      createdAt: now,
      updatedAt: now,
    } satisfies Track);
    const job = Object.assign(new IngestJob(), {
      id: this.ids.next(),
      trackId: track.id,
      state: 'queued',
      progress: 0,
      failureReason: null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    } satisfies IngestJob);
    // The file goes into place first, the rows second: a crash in between leaves an unreferenced folder, never a
    // track whose master is missing.
    await this.store.adoptMaster(received, track.id, master.format);
    try {
      await this.tracks.createWithJob(track, job, (manager) =>
        this.audit.record(
          uploadedBy,
          {
            action: 'track.upload',
            entityType: 'track',
            entityId: track.id,
            organisationId: owner,
            after: { title: track.title, contentSha256: track.contentSha256, sizeBytes: track.masterSizeBytes },
          },
          manager,
        ),
      );
    } catch (error) {
      await this.store.removeTrack(track.id);
      // Two identical uploads at once: the other one won the unique index; answer with its track.
      const winner = await this.tracks.findByContent(owner, received.sha256);
      if (winner) return this.duplicateOf(winner);
      throw error;
    }
    this.runner.enqueue(job.id);
    return { track: trackView(track), job: jobView(job), duplicate: false, warnings };
  }
}
