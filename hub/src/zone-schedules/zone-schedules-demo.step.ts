import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import type { DemoContext, DemoSeedStep } from '../demo/demo-seed-registry';
import { PlansService } from '../plans/plans.service';
import { Programme } from '../programmes/entities/programme.entity';
import { ZoneSchedule, ZoneScheduleProgramme, ZoneScheduleVersion } from './entities/zone-schedule.entity';

/**
 * The zone schedules' part of the first-run demo: each demo zone gets a published schedule (Monday to Saturday
 * 08:00-18:00 and evenings 18:00-22:00, in the venue's time zone) naming the demo business's programmes, and its
 * plan is compiled, so the dashboard and a test appliance have something to show. Runs after the programmes step.
 */
@Injectable()
export class ZoneSchedulesDemoStep implements DemoSeedStep {
  readonly name = 'zone schedules: a published schedule and plan for each demo zone';
  private readonly logger = new Logger('ZoneSchedulesDemo');

  constructor(
    private readonly dataSource: DataSource,
    private readonly plans: PlansService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async run(context: DemoContext): Promise<void> {
    const programmes = await this.dataSource
      .getRepository(Programme)
      .find({ where: { organisationId: context.business.id }, order: { name: 'ASC' } });
    if (programmes.length === 0) {
      this.logger.log({ msg: 'no demo programmes: demo zones keep no schedule' });
      return;
    }
    const day = programmes[0].id;
    const evening = (programmes[1] ?? programmes[0]).id;
    const document = JSON.stringify({
      version: 1,
      zone: context.venue.timeZone,
      blocks: [
        {
          id: 'day',
          rule: { rrule: 'DTSTART:20260105T080000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA' },
          end: '18:00',
          programme: day,
          volume: 55,
        },
        { id: 'evening', rule: { cron: '0 18 * * *' }, end: '22:00', programme: evening, volume: 40, start: 'soft' },
      ],
    });
    const programmeIds = [...new Set([day, evening])].sort();
    const now = this.clock.now();
    const publisher = context.users.venue_manager.id;
    await this.dataSource.transaction(async (m) => {
      for (const zone of context.zones) {
        await m.getRepository(ZoneSchedule).insert({
          zoneId: zone.id,
          draft: document,
          draftUpdatedAt: now,
          draftUpdatedByUserId: publisher,
          latestVersion: 1,
          updatedAt: now,
        });
        await m.getRepository(ZoneScheduleVersion).insert({
          id: this.ids.next(),
          zoneId: zone.id,
          version: 1,
          document,
          programmeIds,
          publishedAt: now,
          publishedByUserId: publisher,
          planId: null,
        });
        await m
          .getRepository(ZoneScheduleProgramme)
          .insert(programmeIds.map((programmeId) => ({ zoneId: zone.id, programmeId })));
        await this.audit.record(
          null,
          {
            action: 'zone-schedule.publish',
            entityType: 'zone',
            entityId: zone.id,
            organisationId: context.business.id,
            after: { version: 1, programmeIds, demo: true },
          },
          m,
        );
      }
    });
    const zoneIds = context.zones.map((z) => z.id);
    await this.plans.compileZones(zoneIds, 'demo', async (m, planIds) => {
      for (const [zoneId, planId] of planIds) {
        await m.getRepository(ZoneScheduleVersion).update({ zoneId, version: 1 }, { planId });
      }
    });
    this.logger.log({ msg: 'demo schedules published', zones: zoneIds.length });
  }
}
