import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DemoSeedRegistry } from '../demo/demo-seed-registry';
import { PlansModule } from '../plans/plans.module';
import { ProgrammeSource } from '../plans/programme-source';
import { ProgrammeResolver } from '../programmes/programme-resolver';
import { ProgrammeReferences } from '../programmes/programme-references';
import { ProgrammesModule } from '../programmes/programmes.module';
import { VenuesModule } from '../venues/venues.module';
import { ZoneSchedule, ZoneScheduleProgramme, ZoneScheduleVersion } from './entities/zone-schedule.entity';
import { ZoneSchedulesDemoStep } from './zone-schedules-demo.step';
import { ZoneSchedulesController } from './zone-schedules.controller';
import { ZoneSchedulesRepository } from './zone-schedules.repository';
import { ZoneSchedulesService } from './zone-schedules.service';

/** Zone schedules: drafts, published versions, publishing (which compiles the zone's plan). */
@Module({
  imports: [
    TypeOrmModule.forFeature([ZoneSchedule, ZoneScheduleVersion, ZoneScheduleProgramme]),
    VenuesModule,
    ProgrammesModule,
    PlansModule,
  ],
  controllers: [ZoneSchedulesController],
  providers: [ZoneSchedulesRepository, ZoneSchedulesService, ZoneSchedulesDemoStep],
  exports: [ZoneSchedulesService],
})
export class ZoneSchedulesModule implements OnModuleInit {
  constructor(
    private readonly references: ProgrammeReferences,
    private readonly schedules: ZoneSchedulesService,
    private readonly source: ProgrammeSource,
    private readonly resolver: ProgrammeResolver,
    private readonly demo: DemoSeedRegistry,
    private readonly demoStep: ZoneSchedulesDemoStep,
  ) {}

  onModuleInit(): void {
    // The plan compiler resolves programmes through the programmes feature (plans does not import it).
    this.source.use(this.resolver);
    // A programme named by a published schedule cannot be deleted: its zones are listed in the 409.
    this.references.register((programmeId) => this.schedules.zonesNaming(programmeId));
    // After the programmes' demo step (ProgrammesModule is imported, so it registers first).
    this.demo.register(this.demoStep);
  }
}
