import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Programme } from './entities/programme.entity';
import { ZoneBlockedTrack } from './entities/zone-blocked-track.entity';
import { ProgrammeReferences } from './programme-references';
import { ProgrammeResolver } from './programme-resolver';
import { ProgrammesRepository } from './programmes.repository';

/** Programmes, per-zone blocked tracks and their resolution into playable tracks for plans. */
@Module({
  imports: [TypeOrmModule.forFeature([Programme, ZoneBlockedTrack])],
  providers: [ProgrammesRepository, ProgrammeResolver, ProgrammeReferences],
  exports: [ProgrammeResolver, ProgrammeReferences],
})
export class ProgrammesModule {}
