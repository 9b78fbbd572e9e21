import { Injectable, Logger } from '@nestjs/common';
import { conflicts, parseSchedule, parseScheduleJson, ScheduleError, type Schedule } from '@roomtone/schedules';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { PlanInvalidations } from '../plans/invalidation';
import { PlansService } from '../plans/plans.service';
import { ProgrammeResolver } from '../programmes/programme-resolver';
import type { Venue, Zone } from '../tenancy/entities';
import { VenuesQueries } from '../venues/venues.queries';
import { ZoneSchedule, ZoneScheduleVersion } from './entities/zone-schedule.entity';
import { programmesOf } from './programmes-of';
import type {
  PublishResult,
  ScheduleConflictsView,
  ScheduleVersionSummary,
  ScheduleVersionView,
  ZoneScheduleView,
} from './views';
import { ZoneSchedulesRepository } from './zone-schedules.repository';

/**
 * Zone schedules in the schedules engine's model: a draft validated on every write, published as numbered versions
 * that are kept forever; publishing compiles the zone's plan before answering.
 */
@Injectable()
export class ZoneSchedulesService {
  private readonly logger = new Logger('ZoneSchedules');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ZoneSchedulesRepository,
    private readonly venues: VenuesQueries,
    private readonly programmes: ProgrammeResolver,
    private readonly plans: PlansService,
    private readonly invalidations: PlanInvalidations,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The draft and the latest published version's summary. */
  async get(filter: TenantFilter, zoneId: string): Promise<ZoneScheduleView> {
    const { venue } = await this.visible(filter, zoneId);
    const head = await this.repository.head(zoneId);
    const latest =
      head !== null && head.latestVersion > 0 ? await this.repository.version(zoneId, head.latestVersion) : null;
    return {
      zoneId,
      timeZone: venue.timeZone,
      draft:
        head?.draft == null
          ? null
          : {
              document: JSON.parse(head.draft) as unknown,
              updatedAt: head.draftUpdatedAt!.toISOString(),
              updatedByUserId: head.draftUpdatedByUserId,
            },
      published: latest === null ? null : summary(latest),
    };
  }

  /**
   * Replaces the draft with `document` after validating it: the engine's rules (422 SCHEDULE_INVALID naming the JSON
   * path), the venue's time zone (`zone` filled in when absent), and programmes the venue can use (422
   * UNKNOWN_PROGRAMME naming the blocks).
   */
  async putDraft(
    principal: Principal,
    filter: TenantFilter,
    zoneId: string,
    document: unknown,
  ): Promise<ZoneScheduleView> {
    const { venue } = await this.visible(filter, zoneId);
    const { text } = await this.validate(venue, document);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const head = (await this.repository.head(zoneId, m)) ?? newHead(zoneId, now);
      Object.assign(head, { draft: text, draftUpdatedAt: now, draftUpdatedByUserId: principal.userId, updatedAt: now });
      await this.repository.saveHead(m, head);
      await this.audit.record(
        principal,
        {
          action: 'zone-schedule.draft',
          entityType: 'zone',
          entityId: zoneId,
          organisationId: venue.organisationId,
          after: { draftLength: text.length },
        },
        m,
      );
    });
    return this.get(filter, zoneId);
  }

  /** Publishes the draft as the next version and compiles the zone's plan before answering. */
  async publish(principal: Principal, filter: TenantFilter, zoneId: string): Promise<PublishResult> {
    const { venue } = await this.visible(filter, zoneId);
    const draft = (await this.repository.head(zoneId))?.draft ?? null;
    if (draft === null) {
      throw new AppError(
        ErrorCode.Conflict,
        `zone ${zoneId} has no draft schedule; PUT a draft first, then publish it`,
      );
    }
    // Programmes may have been deleted since the draft was saved: check again.
    const { programmeIds } = await this.validate(venue, JSON.parse(draft));
    const now = this.clock.now();
    const version = await this.dataSource.transaction(async (m) => {
      await this.repository.lockZone(m, zoneId);
      const head = (await this.repository.head(zoneId, m))!;
      if (head.draft !== draft) {
        throw new AppError(ErrorCode.Conflict, `the draft of zone ${zoneId} changed while publishing; publish again`);
      }
      const row = Object.assign(new ZoneScheduleVersion(), {
        id: this.ids.next(),
        zoneId,
        version: head.latestVersion + 1,
        document: draft,
        programmeIds,
        publishedAt: now,
        publishedByUserId: principal.userId,
        planId: null,
      });
      await this.repository.publish(m, row);
      Object.assign(head, { latestVersion: row.version, updatedAt: now });
      await this.repository.saveHead(m, head);
      await this.audit.record(
        principal,
        {
          action: 'zone-schedule.publish',
          entityType: 'zone',
          entityId: zoneId,
          organisationId: venue.organisationId,
          after: { version: row.version, programmeIds },
        },
        m,
      );
      return row.version;
    });
    let planId: string;
    try {
      const plans = await this.plans.compileZones([zoneId], `publish v${version}`, (m, ids) =>
        this.repository.setPlan(m, zoneId, version, ids.get(zoneId)!),
      );
      planId = plans.get(zoneId)!;
    } catch (error) {
      // The version is published; the worker compiles the plan when this request could not.
      this.logger.error({ msg: 'plan compile after publish failed', zoneId, version, error: String(error) });
      await this.dataSource.transaction((m) => this.invalidations.zones(m, [zoneId], `publish v${version}`));
      throw error;
    }
    return { version, planId, publishedAt: now.toISOString() };
  }

  async versions(filter: TenantFilter, zoneId: string): Promise<ScheduleVersionSummary[]> {
    await this.visible(filter, zoneId);
    return (await this.repository.versions(zoneId)).map(summary);
  }

  async version(filter: TenantFilter, zoneId: string, version: number): Promise<ScheduleVersionView> {
    await this.visible(filter, zoneId);
    const row = await this.repository.version(zoneId, version);
    if (row === null) throw AppError.notFound(`version ${version} of the schedule of zone ${zoneId}`);
    return { ...summary(row), document: JSON.parse(row.document) as unknown };
  }

  /**
   * Where equal-priority occurrences overlap in [from, to) (the later start plays): in the draft when there is one,
   * else in the latest published version. A window the engine refuses (over 400 days, reversed) is a 422.
   */
  async conflicts(filter: TenantFilter, zoneId: string, from: string, to: string): Promise<ScheduleConflictsView> {
    await this.visible(filter, zoneId);
    const head = await this.repository.head(zoneId);
    let source: ScheduleConflictsView['source'] = null;
    let text: string | null = null;
    let version: number | null = null;
    if (head?.draft != null) {
      source = 'draft';
      text = head.draft;
    } else if (head !== null && head.latestVersion > 0) {
      const latest = await this.repository.version(zoneId, head.latestVersion);
      source = 'published';
      text = latest?.document ?? null;
      version = head.latestVersion;
    }
    if (text === null) return { source: null, version: null, conflicts: [] };
    try {
      const found = conflicts(parseScheduleJson(text), Date.parse(from), Date.parse(to));
      return {
        source,
        version,
        conflicts: found.map((c) => ({
          start: new Date(c.startMs).toISOString(),
          end: new Date(c.endMs).toISOString(),
          priority: c.priority,
          blocks: c.blocks,
        })),
      };
    } catch (error) {
      if (error instanceof ScheduleError) {
        throw new AppError(ErrorCode.ScheduleInvalid, error.message, { scheduleCode: error.code, path: error.path });
      }
      throw error;
    }
  }

  /** Zones whose latest published schedule names the programme (ProgrammeReferences). */
  zonesNaming(programmeId: string): Promise<string[]> {
    return this.repository.zonesNaming(programmeId);
  }

  private async validate(
    venue: Venue,
    document: unknown,
  ): Promise<{ text: string; schedule: Schedule; programmeIds: string[] }> {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new AppError(ErrorCode.ScheduleInvalid, 'the schedule must be a JSON object; see schedules/README.md', {
        scheduleCode: 'INVALID_FORMAT',
        path: '',
      });
    }
    const doc = { ...(document as Record<string, unknown>) };
    if (doc.zone === undefined) doc.zone = venue.timeZone;
    else if (doc.zone !== venue.timeZone) {
      throw new AppError(
        ErrorCode.ScheduleInvalid,
        `zone: ${JSON.stringify(doc.zone)} is not the venue's time zone "${venue.timeZone}"; send "${venue.timeZone}" or omit zone`,
        { scheduleCode: 'ZONE_MISMATCH', path: 'zone' },
      );
    }
    let schedule: Schedule;
    try {
      schedule = parseSchedule(doc);
    } catch (error) {
      if (error instanceof ScheduleError) {
        throw new AppError(ErrorCode.ScheduleInvalid, error.message, { scheduleCode: error.code, path: error.path });
      }
      throw error;
    }
    const named = programmesOf(schedule);
    const unknown = await this.programmes.unknownProgrammes(venue.id, [...named.keys()]);
    if (unknown.length > 0) {
      const paths = unknown.flatMap((id) => named.get(id) ?? []);
      throw new AppError(
        ErrorCode.UnknownProgramme,
        `${paths.join(', ')}: programme ${unknown.map((id) => JSON.stringify(id)).join(', ')} does not exist or is not usable by this venue; use the id of one of the venue's programmes`,
        { programmeIds: unknown, paths },
      );
    }
    return { text: JSON.stringify(doc), schedule, programmeIds: [...named.keys()].sort() };
  }

  private async visible(filter: TenantFilter, zoneId: string): Promise<{ zone: Zone; venue: Venue }> {
    const zone = await this.venues.findZone(filter, zoneId);
    const venue = zone === null ? null : await this.venues.findVenue(filter, zone.venueId);
    if (zone === null || venue === null) throw AppError.notFound(`zone ${zoneId}`);
    return { zone, venue };
  }
}

function newHead(zoneId: string, now: Date): ZoneSchedule {
  return Object.assign(new ZoneSchedule(), {
    zoneId,
    draft: null,
    draftUpdatedAt: null,
    draftUpdatedByUserId: null,
    latestVersion: 0,
    updatedAt: now,
  });
}

function summary(v: ZoneScheduleVersion): ScheduleVersionSummary {
  return {
    version: v.version,
    publishedAt: v.publishedAt.toISOString(),
    publishedByUserId: v.publishedByUserId,
    planId: v.planId,
    programmeIds: v.programmeIds,
  };
}
