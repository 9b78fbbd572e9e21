import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ZoneSchedule, ZoneScheduleProgramme, ZoneScheduleVersion } from './entities/zone-schedule.entity';

/** Queries over zone schedules. Tenant checks happen in the service, through the zone's venue. */
@Injectable()
export class ZoneSchedulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  head(zoneId: string, manager: EntityManager = this.dataSource.manager): Promise<ZoneSchedule | null> {
    return manager.getRepository(ZoneSchedule).findOneBy({ zoneId });
  }

  version(zoneId: string, version: number): Promise<ZoneScheduleVersion | null> {
    return this.dataSource.getRepository(ZoneScheduleVersion).findOneBy({ zoneId, version });
  }

  versions(zoneId: string): Promise<ZoneScheduleVersion[]> {
    return this.dataSource.getRepository(ZoneScheduleVersion).find({
      where: { zoneId },
      select: {
        id: true,
        zoneId: true,
        version: true,
        publishedAt: true,
        publishedByUserId: true,
        planId: true,
        programmeIds: true,
      },
      order: { version: 'DESC' },
    });
  }

  async saveHead(manager: EntityManager, head: ZoneSchedule): Promise<void> {
    await manager.getRepository(ZoneSchedule).save(head);
  }

  /** Stores a published version and makes its programmes the zone's named programmes. */
  async publish(manager: EntityManager, version: ZoneScheduleVersion): Promise<void> {
    await manager.getRepository(ZoneScheduleVersion).insert(version);
    await manager.getRepository(ZoneScheduleProgramme).delete({ zoneId: version.zoneId });
    if (version.programmeIds.length > 0) {
      await manager
        .getRepository(ZoneScheduleProgramme)
        .insert(version.programmeIds.map((programmeId) => ({ zoneId: version.zoneId, programmeId })));
    }
  }

  async setPlan(manager: EntityManager, zoneId: string, version: number, planId: string): Promise<void> {
    await manager.getRepository(ZoneScheduleVersion).update({ zoneId, version }, { planId });
  }

  /** Zones whose latest published schedule names the programme. */
  async zonesNaming(programmeId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ZoneScheduleProgramme)
      .find({ where: { programmeId }, order: { zoneId: 'ASC' } });
    return rows.map((r) => r.zoneId);
  }

  /** Holds the zone's row until commit on PostgreSQL, so two publishes of one zone serialise. */
  async lockZone(manager: EntityManager, zoneId: string): Promise<void> {
    if (manager.connection.options.type === 'postgres') {
      await manager.query('SELECT id FROM zones WHERE id = $1 FOR UPDATE', [zoneId]);
    }
  }
}
