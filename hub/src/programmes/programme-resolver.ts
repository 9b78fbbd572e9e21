import { Injectable } from '@nestjs/common';
import type { PlanProgrammeDoc } from '@roomtone/provisioning';
import type { Track } from '../catalog/entities/track.entity';
import type { Programme } from './entities/programme.entity';
import { ProgrammesRepository, type VenueFacts } from './programmes.repository';

/** One zone's request: the programmes its schedule names. */
export interface ProgrammeResolutionRequest {
  zoneId: string;
  venueId: string;
  programmeIds: string[];
}

/** One zone's programmes, resolved to the tracks the zone may play. */
export interface ZoneProgrammes {
  /** The programmes the venue may use, in request order, each with the zone's playable track ids. */
  programmes: PlanProgrammeDoc[];
  /** The union of the programmes' tracks (catalog entities, shared between zones). */
  tracks: Track[];
  /** Named programmes that do not exist or belong to another business. */
  unknownProgrammeIds: string[];
}

/** A programme resolved once per call: its candidate tracks before any zone's or venue's filter. */
interface Resolved {
  programme: Programme;
  tracks: Track[];
}

/**
 * Resolves programmes to playable tracks for plans. Per call, whatever the number of zones or programmes: one query
 * for the programmes, one for the venues, one for every rules programme's matches together, one for the tracks and
 * one for the zones' blocked tracks (each split in IN lists of at most 500 ids); never a query per zone. Each
 * programme is resolved once and then filtered per zone: only `ready` tracks, minus the zone's blocked tracks, minus
 * explicit tracks unless the venue allows them. Zones without blocked tracks that name the same programmes in venues
 * of the same business with the same switch share one (read-only) answer object.
 */
@Injectable()
export class ProgrammeResolver {
  constructor(private readonly repository: ProgrammesRepository) {}

  async resolveForZones(requests: ProgrammeResolutionRequest[]): Promise<Map<string, ZoneProgrammes>> {
    const out = new Map<string, ZoneProgrammes>();
    if (requests.length === 0) return out;
    const programmes = await this.repository.findByIds(requests.flatMap((r) => r.programmeIds));
    const venues = await this.repository.venueFacts(requests.map((r) => r.venueId));
    const resolved = await this.resolve(programmes);
    const blocked = await this.repository.blockedByZone(requests.map((r) => r.zoneId));
    // Zones without blocked tracks share one doc per (programme, explicit switch).
    const shared = new Map<string, { doc: PlanProgrammeDoc; tracks: Track[] }>();
    // Zones without blocked tracks that name the same programmes in a venue with the same switch get the same answer:
    // computed once and shared (callers must not mutate it).
    const sameAnswer = new Map<string, ZoneProgrammes>();
    for (const request of requests) {
      const venue = venues.get(request.venueId);
      const zoneBlocked = blocked.get(request.zoneId);
      const ids = [...new Set(request.programmeIds)];
      const key =
        zoneBlocked === undefined && venue !== undefined
          ? `${venue.organisationId}|${venue.allowExplicit}|${ids.join(',')}`
          : undefined;
      const cached = key === undefined ? undefined : sameAnswer.get(key);
      if (cached !== undefined) {
        out.set(request.zoneId, cached);
        continue;
      }
      const docs: PlanProgrammeDoc[] = [];
      const tracks = new Map<string, Track>();
      const unknown: string[] = [];
      for (const id of ids) {
        const r = resolved.get(id);
        if (r === undefined || !usableBy(r.programme, venue)) {
          unknown.push(id);
          continue;
        }
        const allowExplicit = venue!.allowExplicit;
        let entry: { doc: PlanProgrammeDoc; tracks: Track[] } | undefined;
        if (zoneBlocked === undefined) {
          const docKey = `${id}|${allowExplicit}`;
          entry = shared.get(docKey);
          if (entry === undefined) {
            entry = filtered(r, allowExplicit, undefined);
            shared.set(docKey, entry);
          }
        } else {
          entry = filtered(r, allowExplicit, zoneBlocked);
        }
        docs.push(entry.doc);
        for (const t of entry.tracks) tracks.set(t.id, t);
      }
      const answer: ZoneProgrammes = { programmes: docs, tracks: [...tracks.values()], unknownProgrammeIds: unknown };
      if (key !== undefined) sameAnswer.set(key, answer);
      out.set(request.zoneId, answer);
    }
    return out;
  }

  /** The ids among `programmeIds` that do not exist or that the venue's business does not own. */
  async unknownProgrammes(venueId: string, programmeIds: string[]): Promise<string[]> {
    const unique = [...new Set(programmeIds)];
    if (unique.length === 0) return [];
    const venue = (await this.repository.venueFacts([venueId])).get(venueId);
    const found = new Map((await this.repository.findByIds(unique)).map((p) => [p.id, p]));
    return unique.filter((id) => {
      const p = found.get(id);
      return p === undefined || !usableBy(p, venue);
    });
  }

  /**
   * The playable tracks of one programme, before any venue's explicit switch or zone's blocked tracks: the ready
   * tracks of its list (in list order) or the ready tracks its rules match.
   */
  async tracksOf(programme: Programme): Promise<Track[]> {
    return (await this.resolve([programme])).get(programme.id)!.tracks;
  }

  /**
   * Each programme's candidate tracks: the rules programmes' matches in one query, then every listed or matched track
   * in one batched query (IN lists of 500).
   */
  private async resolve(programmes: Programme[]): Promise<Map<string, Resolved>> {
    const ruled = programmes.filter((p) => p.kind === 'rules');
    const matched = await this.repository.trackIdsMatchingAll(ruled.map((p) => p.rules!));
    const idsOf = new Map<string, string[]>(ruled.map((p, i) => [p.id, matched[i]]));
    for (const p of programmes) if (p.kind !== 'rules') idsOf.set(p.id, p.trackIds ?? []);
    const ready = await this.repository.readyTracks([...idsOf.values()].flat());
    const byId = new Map(ready.map((t) => [t.id, t]));
    const out = new Map<string, Resolved>();
    for (const programme of programmes) {
      const tracks = idsOf.get(programme.id)!.flatMap((id) => {
        const t = byId.get(id);
        return t === undefined ? [] : [t];
      });
      out.set(programme.id, { programme, tracks });
    }
    return out;
  }
}

function usableBy(programme: Programme, venue: VenueFacts | undefined): boolean {
  return venue !== undefined && programme.organisationId === venue.organisationId;
}

function filtered(
  r: Resolved,
  allowExplicit: boolean,
  blocked: ReadonlySet<string> | undefined,
): { doc: PlanProgrammeDoc; tracks: Track[] } {
  const tracks = r.tracks.filter(
    (t) => (allowExplicit || !t.explicit) && (blocked === undefined || !blocked.has(t.id)),
  );
  return { doc: programmeDoc(r.programme, tracks), tracks };
}

/** The plan's view of a programme: a rules programme's tracks are shuffled by the appliance, like a shuffled list. */
export function programmeDoc(p: Programme, tracks: readonly Track[]): PlanProgrammeDoc {
  return {
    id: p.id,
    name: p.name,
    version: p.version,
    order: p.kind === 'ordered' ? 'ordered' : 'shuffled',
    repeatWindowMinutes: p.repeatWindowMinutes,
    artistSeparationMinutes: p.artistSeparationMinutes,
    crossfadeMs: p.crossfadeMs,
    trackIds: tracks.map((t) => t.id),
  };
}
