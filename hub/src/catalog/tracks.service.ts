import { stat } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/access/principal';
import { AuditService, diff } from '../audit/audit.service';
import { PlanInvalidations } from '../plans/invalidation';
import { AppError, ErrorCode } from '../common/errors';
import { Clock } from '../common/time/clock';
import { catalogVisibility } from './catalog-access';
import { normaliseIsrc } from './dto/isrc';
import type { SearchTracksQuery, UpdateTrackDto } from './dto/track.dto';
import type { Track } from './entities/track.entity';
import { TracksRepository } from './repositories/tracks.repository';
import { CatalogSearchRepository } from './search/catalog-search.repository';
import { MediaStore } from './storage/media-store';
import { jobView, trackView, type IngestJobView, type TrackPage, type TrackView } from './views';

/** The editable metadata of a track, as the audit log records it. */
function metadataOf(track: Track): Record<string, unknown> {
  const { title, artist, album, label, year, isrc, genre, mood, bpm, explicit } = track;
  return { title, artist, album, label, year, isrc, genre, mood, bpm, explicit };
}

/** Reading, searching and editing tracks. The AccessGuard has already checked the caller may see the track named. */
@Injectable()
export class TracksService {
  constructor(
    private readonly clock: Clock,
    private readonly tracks: TracksRepository,
    private readonly search_: CatalogSearchRepository,
    private readonly store: MediaStore,
    private readonly audit: AuditService,
    private readonly invalidations: PlanInvalidations,
  ) {}

  private async load(id: string): Promise<Track> {
    const track = await this.tracks.findById(id);
    if (!track) throw AppError.notFound(`track ${id}`);
    return track;
  }

  async get(id: string): Promise<TrackView> {
    return trackView(await this.load(id));
  }

  async ingestJob(id: string): Promise<IngestJobView> {
    const job = await this.tracks.latestJobOf(id);
    if (!job) throw AppError.notFound(`ingest job of track ${id}`);
    return jobView(job);
  }

  /** Full-text search with filters, sorting and paging, limited to what the caller may see. */
  async search(principal: Principal, query: SearchTracksQuery): Promise<TrackPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const page = await this.search_.search({
      text: query.q,
      genre: query.genre,
      mood: query.mood,
      bpmMin: query.bpmMin,
      bpmMax: query.bpmMax,
      durationMinMs: query.durationMin !== undefined ? Math.round(query.durationMin * 1000) : undefined,
      durationMaxMs: query.durationMax !== undefined ? Math.round(query.durationMax * 1000) : undefined,
      explicit: query.explicit,
      ownerOrganisationId: query.owner,
      status: query.status,
      sort: query.sort ?? (query.q ? 'relevance' : 'title'),
      order: query.order ?? 'asc',
      limit,
      offset,
      visibility: catalogVisibility(principal),
    });
    const byId = new Map((await this.tracks.findByIds(page.ids)).map((t) => [t.id, t]));
    const items = page.ids.flatMap((id) => {
      const track = byId.get(id);
      return track ? [trackView(track)] : [];
    });
    return { items, total: page.total, totalCapped: page.totalCapped, limit, offset };
  }

  /** Applies the owner's corrections; `null` clears an optional field. */
  async update(principal: Principal, id: string, dto: UpdateTrackDto): Promise<TrackView> {
    const track = await this.load(id);
    const changes: Partial<Track> = {};
    if (dto.title !== undefined) {
      if (dto.title === null) throw AppError.validation([{ field: 'title', problems: ['title cannot be cleared'] }]);
      changes.title = dto.title.trim();
    }
    for (const key of ['artist', 'album', 'label', 'genre', 'mood'] as const) {
      const value = dto[key];
      if (value !== undefined) changes[key] = value === null ? null : value.trim() || null;
    }
    if (dto.year !== undefined) changes.year = dto.year;
    if (dto.bpm !== undefined) changes.bpm = dto.bpm;
    if (dto.explicit !== undefined) changes.explicit = dto.explicit;
    if (dto.isrc !== undefined) {
      const isrc = dto.isrc === null ? null : normaliseIsrc(dto.isrc);
      if (dto.isrc !== null && isrc === null) {
        throw AppError.validation([{ field: 'isrc', problems: ['isrc must be an ISRC: CC-XXX-YY-NNNNN'] }]);
      }
      changes.isrc = isrc;
    }
    const before = metadataOf(track);
    const { before: was, after: now } = diff(before, { ...before, ...changes });
    if (Object.keys(now).length === 0) return trackView(track);
    await this.tracks.transaction(async (manager) => {
      await this.tracks.updateTrack(id, { ...changes, updatedAt: this.clock.now() }, manager);
      await this.invalidations.track(manager, id, 'track.update');
      await this.audit.record(
        principal,
        {
          action: 'track.update',
          entityType: 'track',
          entityId: id,
          organisationId: track.ownerOrganisationId,
          before: was,
          after: now,
        },
        manager,
      );
    });
    return trackView(await this.load(id));
  }

  /** The preview file of a ready track and its size. */
  async previewFile(id: string): Promise<{ path: string; size: number }> {
    const track = await this.load(id);
    if (track.status !== 'ready') {
      throw new AppError(
        ErrorCode.Conflict,
        `track ${id} has no preview yet (status: ${track.status}); wait for its ingest job to finish`,
      );
    }
    const path = this.store.previewPath(id);
    const { size } = await stat(path);
    return { path, size };
  }
}
