import type { Programme, ProgrammeKind, ProgrammeRules } from './entities/programme.entity';
import type { ZoneBlockedTrack } from './entities/zone-blocked-track.entity';

export interface ProgrammeView {
  id: string;
  organisationId: string;
  name: string;
  kind: ProgrammeKind;
  /** The list of an 'ordered' or 'shuffled' programme; null for 'rules'. */
  trackIds: string[] | null;
  rules: ProgrammeRules | null;
  repeatWindowMinutes: number;
  artistSeparationMinutes: number;
  crossfadeMs: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface BlockedTrackView {
  zoneId: string;
  trackId: string;
  blockedByUserId: string | null;
  createdAt: string;
}

export function programmeView(p: Programme): ProgrammeView {
  return {
    id: p.id,
    organisationId: p.organisationId,
    name: p.name,
    kind: p.kind,
    trackIds: p.trackIds,
    rules: p.rules,
    repeatWindowMinutes: p.repeatWindowMinutes,
    artistSeparationMinutes: p.artistSeparationMinutes,
    crossfadeMs: p.crossfadeMs,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function blockedTrackView(b: ZoneBlockedTrack): BlockedTrackView {
  return {
    zoneId: b.zoneId,
    trackId: b.trackId,
    blockedByUserId: b.blockedByUserId,
    createdAt: b.createdAt.toISOString(),
  };
}
