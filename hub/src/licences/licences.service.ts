import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { PlanInvalidations } from '../plans/invalidation';
import type { Venue } from '../tenancy/entities';
import { VenuesQueries } from '../venues/venues.queries';
import type { AmendLicenceDto, CreateLicenceDto } from './dto/licence.dto';
import { Licence } from './entities/licence.entity';
import { LicencesRepository } from './licences.repository';
import { licenceStatus, licenceTerms, licenceView, type LicenceTerms, type LicenceView } from './views';

type Terms = Pick<Licence, 'zoneIds' | 'tier' | 'validFrom' | 'validUntil' | 'leaseDays'>;

/** Venue licences: operators grant, amend and revoke them; delivery asks which terms are in force. */
@Injectable()
export class LicencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: LicencesRepository,
    private readonly venues: VenuesQueries,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly invalidations: PlanInvalidations,
  ) {}

  /** The licences of a venue the caller sees. */
  async list(filter: TenantFilter, venueId: string): Promise<LicenceView[]> {
    await this.visibleVenue(filter, venueId);
    const now = this.clock.now();
    return (await this.repository.listForVenue(venueId)).map((l) => licenceView(l, now));
  }

  /** One licence of a venue the caller sees. */
  async get(filter: TenantFilter, id: string): Promise<LicenceView> {
    return licenceView((await this.visible(filter, id)).licence, this.clock.now());
  }

  /** Grants a venue a licence. */
  async create(
    principal: Principal,
    filter: TenantFilter,
    venueId: string,
    dto: CreateLicenceDto,
  ): Promise<LicenceView> {
    const venue = await this.visibleVenue(filter, venueId);
    const terms: Terms = {
      zoneIds: dto.zoneIds ?? null,
      tier: dto.tier,
      validFrom: new Date(dto.validFrom),
      validUntil: new Date(dto.validUntil),
      leaseDays: dto.leaseDays,
    };
    await this.check(venueId, terms);
    const now = this.clock.now();
    const licence = Object.assign(new Licence(), {
      id: this.ids.next(),
      venueId,
      ...terms,
      version: 1,
      revokedAt: null,
      revokedReason: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Licence).insert(licence);
      await this.invalidations.venue(m, venueId, 'licence.create');
      await this.audit.record(
        principal,
        {
          action: 'licence.create',
          entityType: 'licence',
          entityId: licence.id,
          organisationId: venue.organisationId,
          after: snapshot(licence),
        },
        m,
      );
    });
    return licenceView(licence, now);
  }

  /** Changes a licence's terms; the audit entry keeps the previous version's terms. */
  async amend(principal: Principal, filter: TenantFilter, id: string, dto: AmendLicenceDto): Promise<LicenceView> {
    const { licence, venue } = await this.visible(filter, id);
    if (licence.revokedAt !== null) {
      throw new AppError(ErrorCode.Conflict, `licence ${id} is revoked; create a new licence for the venue instead`);
    }
    const terms: Terms = {
      zoneIds: dto.zoneIds === undefined ? licence.zoneIds : dto.zoneIds,
      tier: dto.tier ?? licence.tier,
      validFrom: dto.validFrom === undefined ? licence.validFrom : new Date(dto.validFrom),
      validUntil: dto.validUntil === undefined ? licence.validUntil : new Date(dto.validUntil),
      leaseDays: dto.leaseDays ?? licence.leaseDays,
    };
    await this.check(licence.venueId, terms);
    const before = snapshot(licence);
    const now = this.clock.now();
    Object.assign(licence, terms, { version: licence.version + 1, updatedAt: now });
    await this.dataSource.transaction(async (m) => {
      await m
        .getRepository(Licence)
        .update({ id }, { ...terms, zoneIds: terms.zoneIds, version: licence.version, updatedAt: now });
      await this.invalidations.venue(m, licence.venueId, 'licence.amend');
      await this.audit.record(
        principal,
        {
          action: 'licence.amend',
          entityType: 'licence',
          entityId: id,
          organisationId: venue.organisationId,
          before,
          after: snapshot(licence),
        },
        m,
      );
    });
    return licenceView(licence, now);
  }

  /** Revokes a licence from now on; its earlier validity stays on record. */
  async revoke(principal: Principal, filter: TenantFilter, id: string, reason: string): Promise<LicenceView> {
    const { licence, venue } = await this.visible(filter, id);
    if (licence.revokedAt !== null) {
      throw new AppError(ErrorCode.Conflict, `licence ${id} is already revoked; nothing to do`);
    }
    const now = this.clock.now();
    licence.revokedAt = now;
    licence.revokedReason = reason;
    licence.updatedAt = now;
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Licence).update({ id }, { revokedAt: now, revokedReason: reason, updatedAt: now });
      await this.invalidations.venue(m, licence.venueId, 'licence.revoke');
      await this.audit.record(
        principal,
        {
          action: 'licence.revoke',
          entityType: 'licence',
          entityId: id,
          organisationId: venue.organisationId,
          after: { revokedAt: now.toISOString(), reason },
        },
        m,
      );
    });
    return licenceView(licence, now);
  }

  /**
   * The terms in force for a zone at `at` (default: the Clock's now), or null when no licence covers it, so delivery
   * stops. When several overlap, the one that started last wins.
   */
  async effectiveLicence(zoneId: string, at: Date = this.clock.now()): Promise<LicenceTerms | null> {
    const licences = await this.repository.listForZoneVenue(zoneId);
    const inForce = licences.find(
      (l) => licenceStatus(l, at) === 'active' && (l.zoneIds === null || l.zoneIds.includes(zoneId)),
    );
    return inForce === undefined ? null : licenceTerms(inForce);
  }

  private async check(venueId: string, terms: Terms): Promise<void> {
    if (terms.validFrom.getTime() >= terms.validUntil.getTime()) {
      throw AppError.validation([
        { field: 'validUntil', problems: ['validUntil must be after validFrom; send a later validUntil'] },
      ]);
    }
    if (terms.zoneIds === null) return;
    if (terms.zoneIds.length === 0) {
      throw AppError.validation([
        { field: 'zoneIds', problems: ['zoneIds must name at least one zone; omit it to cover every zone'] },
      ]);
    }
    const known = await this.repository.zonesOfVenue(venueId, terms.zoneIds);
    const foreign = terms.zoneIds.filter((z) => !known.has(z));
    if (foreign.length > 0) {
      throw AppError.validation([
        {
          field: 'zoneIds',
          problems: [`zones ${foreign.join(', ')} are not zones of venue ${venueId}; list this venue's zones only`],
        },
      ]);
    }
  }

  private async visibleVenue(filter: TenantFilter, venueId: string): Promise<Venue> {
    const venue = await this.venues.findVenue(filter, venueId);
    if (venue === null) throw AppError.notFound(`venue ${venueId}`);
    return venue;
  }

  private async visible(filter: TenantFilter, id: string): Promise<{ licence: Licence; venue: Venue }> {
    const licence = await this.repository.findById(id);
    const venue = licence === null ? null : await this.venues.findVenue(filter, licence.venueId);
    if (licence === null || venue === null) throw AppError.notFound(`licence ${id}`);
    return { licence, venue };
  }
}

function snapshot(l: Licence): Record<string, unknown> {
  return {
    version: l.version,
    zoneIds: l.zoneIds,
    tier: l.tier,
    validFrom: l.validFrom.toISOString(),
    validUntil: l.validUntil.toISOString(),
    leaseDays: l.leaseDays,
  };
}
