import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { AppError } from '../common/errors';
import { Clock } from '../common/time/clock';
import { PlanInvalidations } from '../plans/invalidation';
import type { Venue, Zone } from '../tenancy/entities';
import { VenuesQueries } from '../venues/venues.queries';
import { ZoneBlockedTrack } from './entities/zone-blocked-track.entity';
import { ProgrammesRepository } from './programmes.repository';
import { blockedTrackView, type BlockedTrackView } from './views';

/** Tracks a zone never plays: blocking and unblocking are idempotent, audited and recompile the zone's plan. */
@Injectable()
export class BlockedTracksService {
  constructor(
    private readonly repository: ProgrammesRepository,
    private readonly venues: VenuesQueries,
    private readonly audit: AuditService,
    private readonly invalidations: PlanInvalidations,
    private readonly clock: Clock,
  ) {}

  async list(filter: TenantFilter, zoneId: string): Promise<BlockedTrackView[]> {
    await this.visibleZone(filter, zoneId);
    return (await this.repository.listBlocked(zoneId)).map(blockedTrackView);
  }

  /** Blocks a ready track in the zone; blocking it again changes nothing and answers the same. */
  async block(principal: Principal, filter: TenantFilter, zoneId: string, trackId: string): Promise<BlockedTrackView> {
    const { venue } = await this.visibleZone(filter, zoneId);
    const track = await this.repository.findTrack(trackId);
    if (track === null || track.status !== 'ready') throw AppError.notFound(`track ${trackId} in the ready catalogue`);
    const row = await this.repository.transaction(async (m) => {
      const existing = await this.repository.findBlocked(zoneId, trackId, m);
      if (existing !== null) return existing;
      const created = Object.assign(new ZoneBlockedTrack(), {
        zoneId,
        trackId,
        blockedByUserId: principal.userId,
        createdAt: this.clock.now(),
      });
      await m.getRepository(ZoneBlockedTrack).insert(created);
      await this.invalidations.zones(m, [zoneId], 'blocked-track.put');
      await this.record(m, principal, 'blocked-track.put', venue, zoneId, null, { trackId });
      return created;
    });
    return blockedTrackView(row);
  }

  /** Unblocks a track; unblocking a track that is not blocked changes nothing. */
  async unblock(principal: Principal, filter: TenantFilter, zoneId: string, trackId: string): Promise<void> {
    const { venue } = await this.visibleZone(filter, zoneId);
    await this.repository.transaction(async (m) => {
      if ((await this.repository.findBlocked(zoneId, trackId, m)) === null) return;
      await m.getRepository(ZoneBlockedTrack).delete({ zoneId, trackId });
      await this.invalidations.zones(m, [zoneId], 'blocked-track.delete');
      await this.record(m, principal, 'blocked-track.delete', venue, zoneId, { trackId }, null);
    });
  }

  private async visibleZone(filter: TenantFilter, zoneId: string): Promise<{ zone: Zone; venue: Venue }> {
    const zone = await this.venues.findZone(filter, zoneId);
    const venue = zone === null ? null : await this.venues.findVenue(filter, zone.venueId);
    if (zone === null || venue === null) throw AppError.notFound(`zone ${zoneId}`);
    return { zone, venue };
  }

  private record(
    m: EntityManager,
    principal: Principal,
    action: string,
    venue: Venue,
    zoneId: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    return this.audit.record(
      principal,
      {
        action,
        entityType: 'zone',
        entityId: zoneId,
        organisationId: venue.organisationId,
        before,
        after,
      },
      m,
    );
  }
}
