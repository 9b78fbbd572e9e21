import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { trackView, type TrackView } from '../catalog/views';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { PlanInvalidations } from '../plans/invalidation';
import type { CreateProgrammeDto, ProgrammeRulesDto, UpdateProgrammeDto } from './dto/programme.dto';
import { Programme, type ProgrammeRules } from './entities/programme.entity';
import { ProgrammeReferences } from './programme-references';
import { ProgrammeResolver } from './programme-resolver';
import { ProgrammesRepository } from './programmes.repository';
import { programmeView, type ProgrammeView } from './views';

/** maxTracks of a rules programme when the request leaves it out. */
export const DEFAULT_MAX_TRACKS = 500;

/** Programmes of a business: CRUD with validation, audit and plan invalidation in the change's transaction. */
@Injectable()
export class ProgrammesService {
  constructor(
    private readonly repository: ProgrammesRepository,
    private readonly resolver: ProgrammeResolver,
    private readonly references: ProgrammeReferences,
    private readonly audit: AuditService,
    private readonly invalidations: PlanInvalidations,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The programmes of an organisation the caller sees. */
  async list(filter: TenantFilter, organisationId: string): Promise<ProgrammeView[]> {
    return (await this.repository.listForOrganisation(filter, organisationId)).map(programmeView);
  }

  async get(filter: TenantFilter, id: string): Promise<ProgrammeView> {
    return programmeView(await this.visible(filter, id));
  }

  /** The tracks the programme plays now (ready tracks of its list, or what its rules match), for previews. */
  async tracks(filter: TenantFilter, id: string): Promise<TrackView[]> {
    return (await this.resolver.tracksOf(await this.visible(filter, id))).map(trackView);
  }

  async create(
    principal: Principal,
    filter: TenantFilter,
    organisationId: string,
    dto: CreateProgrammeDto,
  ): Promise<ProgrammeView> {
    const organisation = await this.repository.findOrganisation(organisationId);
    if (organisation === null || !(filter.all || filter.organisationIds.includes(organisationId))) {
      throw AppError.notFound(`organisation ${organisationId}`);
    }
    if (organisation.kind !== 'business') {
      throw new AppError(
        ErrorCode.Unprocessable,
        `organisation ${organisationId} is a ${organisation.kind}; programmes belong to businesses (the owners of venues)`,
      );
    }
    const content = await this.content(dto.kind, dto.trackIds, dto.rules, null);
    await this.assertNameFree(organisationId, dto.name, null);
    const now = this.clock.now();
    const programme = Object.assign(new Programme(), {
      id: this.ids.next(),
      organisationId,
      name: dto.name,
      kind: dto.kind,
      ...content,
      repeatWindowMinutes: dto.repeatWindowMinutes ?? 0,
      artistSeparationMinutes: dto.artistSeparationMinutes ?? 0,
      crossfadeMs: dto.crossfadeMs ?? 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await this.repository.transaction(async (m) => {
      await m.getRepository(Programme).insert(programme);
      await this.invalidations.programme(m, programme.id, 'programme.create');
      await this.record(m, principal, 'programme.create', programme, null, snapshot(programme));
    });
    return programmeView(programme);
  }

  async update(
    principal: Principal,
    filter: TenantFilter,
    id: string,
    dto: UpdateProgrammeDto,
  ): Promise<ProgrammeView> {
    const programme = await this.visible(filter, id);
    const content = await this.content(programme.kind, dto.trackIds, dto.rules, programme);
    if (dto.name !== undefined && dto.name !== programme.name) {
      await this.assertNameFree(programme.organisationId, dto.name, id);
    }
    const before = snapshot(programme);
    Object.assign(programme, content, {
      name: dto.name ?? programme.name,
      repeatWindowMinutes: dto.repeatWindowMinutes ?? programme.repeatWindowMinutes,
      artistSeparationMinutes: dto.artistSeparationMinutes ?? programme.artistSeparationMinutes,
      crossfadeMs: dto.crossfadeMs ?? programme.crossfadeMs,
    });
    const after = snapshot(programme);
    if (JSON.stringify(before) === JSON.stringify(after)) return programmeView(programme);
    const readVersion = programme.version;
    programme.version += 1;
    programme.updatedAt = this.clock.now();
    await this.repository.transaction(async (m) => {
      // Only over the version read: a concurrent change in between makes this one a 409 instead of a lost update.
      const result = await m.getRepository(Programme).update(
        { id, version: readVersion },
        {
          name: programme.name,
          trackIds: programme.trackIds,
          rules: programme.rules,
          repeatWindowMinutes: programme.repeatWindowMinutes,
          artistSeparationMinutes: programme.artistSeparationMinutes,
          crossfadeMs: programme.crossfadeMs,
          version: programme.version,
          updatedAt: programme.updatedAt,
        },
      );
      if (result.affected !== 1) {
        throw new AppError(
          ErrorCode.Conflict,
          `programme ${id} was changed by someone else meanwhile; read it again and repeat your change`,
        );
      }
      await this.invalidations.programme(m, id, 'programme.update');
      await this.record(m, principal, 'programme.update', programme, before, { ...after, version: programme.version });
    });
    return programmeView(programme);
  }

  /** Deletes a programme no published schedule names (409 naming the zones otherwise). */
  async remove(principal: Principal, filter: TenantFilter, id: string): Promise<void> {
    const programme = await this.visible(filter, id);
    const zoneIds = await this.references.zonesUsing(id);
    if (zoneIds.length > 0) {
      throw new AppError(
        ErrorCode.Conflict,
        `programme ${id} is named by the published schedules of zones ${zoneIds.join(', ')}; publish schedules without it first`,
        { zoneIds },
      );
    }
    await this.repository.transaction(async (m) => {
      await m.getRepository(Programme).delete({ id });
      await this.invalidations.programme(m, id, 'programme.delete');
      await this.record(m, principal, 'programme.delete', programme, snapshot(programme), null);
    });
  }

  /**
   * The list or rules a programme of `kind` stores, from the request (or the stored programme for a patch): a list
   * for 'ordered'/'shuffled' and rules for 'rules', never both; every listed track must be in the ready catalogue.
   */
  private async content(
    kind: Programme['kind'],
    trackIds: string[] | undefined,
    rules: ProgrammeRulesDto | undefined,
    stored: Programme | null,
  ): Promise<Pick<Programme, 'trackIds' | 'rules'>> {
    if (kind === 'rules') {
      if (trackIds !== undefined) {
        throw unprocessable('trackIds', "a 'rules' programme has no track list; send rules instead");
      }
      if (rules === undefined) {
        if (stored !== null) return { trackIds: null, rules: stored.rules };
        throw unprocessable('rules', 'a \'rules\' programme needs rules (e.g. { "genres": ["jazz"] })');
      }
      return { trackIds: null, rules: await this.checkedRules(rules) };
    }
    if (rules !== undefined) {
      throw unprocessable('rules', `a '${kind}' programme plays its track list; send trackIds instead of rules`);
    }
    if (trackIds === undefined) {
      if (stored !== null) return { trackIds: stored.trackIds, rules: null };
      throw unprocessable('trackIds', `a '${kind}' programme needs trackIds (the tracks to play)`);
    }
    if (trackIds.length === 0) throw unprocessable('trackIds', 'trackIds must name at least one track');
    const ready = new Set((await this.repository.readyTracks(trackIds)).map((t) => t.id));
    const unknown = [...new Set(trackIds.filter((t) => !ready.has(t)))];
    if (unknown.length > 0) {
      throw new AppError(
        ErrorCode.Unprocessable,
        `trackIds: tracks ${unknown.join(', ')} are not in the ready catalogue; remove them or wait until they are ready`,
        {
          fields: [{ field: 'trackIds', problems: [`not in the ready catalogue: ${unknown.join(', ')}`] }],
          trackIds: unknown,
        },
      );
    }
    return { trackIds: [...trackIds], rules: null };
  }

  private async checkedRules(dto: ProgrammeRulesDto): Promise<ProgrammeRules> {
    const rules: ProgrammeRules = {
      genres: [...new Set((dto.genres ?? []).map((g) => g.trim()).filter((g) => g.length > 0))],
      moods: [...new Set((dto.moods ?? []).map((m) => m.trim()).filter((m) => m.length > 0))],
      bpmMin: dto.bpmMin ?? null,
      bpmMax: dto.bpmMax ?? null,
      allowExplicit: dto.allowExplicit ?? false,
      ownerOrganisationIds: [...new Set(dto.ownerOrganisationIds ?? [])],
      maxTracks: dto.maxTracks ?? DEFAULT_MAX_TRACKS,
    };
    if (rules.bpmMin !== null && rules.bpmMax !== null && rules.bpmMin > rules.bpmMax) {
      throw unprocessable('rules.bpmMax', `bpmMax (${rules.bpmMax}) must not be below bpmMin (${rules.bpmMin})`);
    }
    const notLabels: string[] = [];
    for (const id of rules.ownerOrganisationIds) {
      const o = await this.repository.findOrganisation(id);
      if (o === null || o.kind !== 'label') notLabels.push(id);
    }
    if (notLabels.length > 0) {
      throw unprocessable(
        'rules.ownerOrganisationIds',
        `${notLabels.join(', ')} are not labels; list the ids of labels (rights owners) whose tracks to play`,
      );
    }
    return rules;
  }

  private async assertNameFree(organisationId: string, name: string, except: string | null): Promise<void> {
    const taken = (await this.repository.listForOrganisation({ all: true }, organisationId)).some(
      (p) => p.name === name && p.id !== except,
    );
    if (taken) {
      throw new AppError(
        ErrorCode.Conflict,
        `the business already has a programme named ${JSON.stringify(name)}; choose another name`,
        { field: 'name' },
      );
    }
  }

  private async visible(filter: TenantFilter, id: string): Promise<Programme> {
    const programme = await this.repository.findVisible(filter, id);
    if (programme === null) throw AppError.notFound(`programme ${id}`);
    return programme;
  }

  private record(
    m: EntityManager,
    principal: Principal,
    action: string,
    p: Programme,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    return this.audit.record(
      principal,
      { action, entityType: 'programme', entityId: p.id, organisationId: p.organisationId, before, after },
      m,
    );
  }
}

function unprocessable(field: string, problem: string): AppError {
  return new AppError(ErrorCode.Unprocessable, `${field}: ${problem}`, { fields: [{ field, problems: [problem] }] });
}

function snapshot(p: Programme): Record<string, unknown> {
  return {
    name: p.name,
    kind: p.kind,
    trackIds: p.trackIds,
    rules: p.rules,
    repeatWindowMinutes: p.repeatWindowMinutes,
    artistSeparationMinutes: p.artistSeparationMinutes,
    crossfadeMs: p.crossfadeMs,
    version: p.version,
  };
}
