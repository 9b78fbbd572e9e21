import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DemoSeedRegistry } from '../demo/demo-seed-registry';
import { VenuesModule } from '../venues/venues.module';
import { BlockedTracksController } from './blocked-tracks.controller';
import { BlockedTracksService } from './blocked-tracks.service';
import { Programme } from './entities/programme.entity';
import { ZoneBlockedTrack } from './entities/zone-blocked-track.entity';
import { ProgrammeReferences } from './programme-references';
import { ProgrammeResolver } from './programme-resolver';
import { ProgrammesController } from './programmes.controller';
import { ProgrammesDemoStep } from './programmes-demo.step';
import { ProgrammesRepository } from './programmes.repository';
import { ProgrammesService } from './programmes.service';

/** Programmes, per-zone blocked tracks and their resolution into playable tracks for plans. */
@Module({
  imports: [TypeOrmModule.forFeature([Programme, ZoneBlockedTrack]), VenuesModule],
  controllers: [ProgrammesController, BlockedTracksController],
  providers: [
    ProgrammesRepository,
    ProgrammeResolver,
    ProgrammeReferences,
    ProgrammesService,
    BlockedTracksService,
    ProgrammesDemoStep,
  ],
  exports: [ProgrammeResolver, ProgrammeReferences],
})
export class ProgrammesModule implements OnModuleInit {
  constructor(
    private readonly demo: DemoSeedRegistry,
    private readonly demoStep: ProgrammesDemoStep,
  ) {}

  onModuleInit(): void {
    this.demo.register(this.demoStep);
  }
}
