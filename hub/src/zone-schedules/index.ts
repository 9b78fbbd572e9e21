export { ZoneSchedulesModule } from './zone-schedules.module';
export { ZoneSchedulesService } from './zone-schedules.service';
export { ZoneSchedule, ZoneScheduleVersion, ZoneScheduleProgramme } from './entities/zone-schedule.entity';
