import type { IngestJob, IngestState } from './entities/ingest-job.entity';
import type { Track, TrackStatus } from './entities/track.entity';

/** An ingest job as clients see it. */
export interface IngestJobView {
  id: string;
  trackId: string;
  state: IngestState;
  progress: number;
  failureReason: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** A track as clients see it. */
export interface TrackView {
  id: string;
  ownerOrganisationId: string;
  status: TrackStatus;
  title: string;
  artist: string | null;
  album: string | null;
  label: string | null;
  year: number | null;
  isrc: string | null;
  genre: string | null;
  mood: string | null;
  bpm: number | null;
  explicit: boolean;
  durationMs: number;
  masterFormat: string;
  masterSizeBytes: number;
  contentSha256: string;
  loudnessLufs: number | null;
  truePeakDbtp: number | null;
  cueInMs: number | null;
  cueOutMs: number | null;
  deliveryKbps: number | null;
  previewUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export function jobView(job: IngestJob): IngestJobView {
  return {
    id: job.id,
    trackId: job.trackId,
    state: job.state,
    progress: job.progress,
    failureReason: job.failureReason,
    attempts: job.attempts,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
  };
}

export function trackView(track: Track): TrackView {
  return {
    id: track.id,
    ownerOrganisationId: track.ownerOrganisationId,
    status: track.status,
    title: track.title,
    artist: track.artist,
    album: track.album,
    label: track.label,
    year: track.year,
    isrc: track.isrc,
    genre: track.genre,
    mood: track.mood,
    bpm: track.bpm,
    explicit: track.explicit,
    durationMs: track.durationMs,
    masterFormat: track.masterFormat,
    masterSizeBytes: track.masterSizeBytes,
    contentSha256: track.contentSha256,
    loudnessLufs: track.loudnessLufs,
    truePeakDbtp: track.truePeakDbtp,
    cueInMs: track.cueInMs,
    cueOutMs: track.cueOutMs,
    deliveryKbps: track.deliveryKbps,
    previewUrl: track.status === 'ready' ? `/tracks/${track.id}/preview` : null,
    createdAt: track.createdAt.toISOString(),
    updatedAt: track.updatedAt.toISOString(),
  };
}

/** The answer to an upload: the track (new or the one with identical content) and its ingest job. */
export interface UploadResult {
  track: TrackView;
  job: IngestJobView | null;
  /** True when a track with exactly this content already existed: nothing new was stored. */
  duplicate: boolean;
  /** Tags that were present but unusable (e.g. a malformed ISRC), with what to do. */
  warnings: string[];
}

/** One page of search results. */
export interface TrackPage {
  items: TrackView[];
  /** Matches in all, counted up to 1,000; `totalCapped` is true when there are more. */
  total: number;
  totalCapped: boolean;
  limit: number;
  offset: number;
}
