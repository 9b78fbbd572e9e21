import { Injectable } from '@nestjs/common';
import type { PlanProgrammeDoc } from '@roomtone/provisioning';
import type { Track } from '../catalog/entities/track.entity';

/** One zone's request to resolve programmes. */
export interface ProgrammeRequest {
  zoneId: string;
  venueId: string;
  programmeIds: string[];
}

/** One zone's resolved programmes, as hub/src/programmes' ProgrammeResolver answers. */
export interface ResolvedProgrammes {
  programmes: PlanProgrammeDoc[];
  tracks: Track[];
  unknownProgrammeIds: string[];
}

/** What the plan compiler needs from the programmes feature (ProgrammeResolver.resolveForZones). */
export interface ProgrammeResolution {
  resolveForZones(requests: ProgrammeRequest[]): Promise<Map<string, ResolvedProgrammes>>;
}

/**
 * Where the plan compiler gets programmes from. The zone-schedules module, which depends on both plans and
 * programmes, plugs the ProgrammeResolver in at init (`use`), so plans and programmes never import each other.
 */
@Injectable()
export class ProgrammeSource {
  private resolution: ProgrammeResolution | null = null;

  use(resolution: ProgrammeResolution): void {
    this.resolution = resolution;
  }

  resolveForZones(requests: ProgrammeRequest[]): Promise<Map<string, ResolvedProgrammes>> {
    if (this.resolution === null) {
      throw new Error('no programme resolver is plugged into plans (ZoneSchedulesModule does it at init)');
    }
    return this.resolution.resolveForZones(requests);
  }
}
