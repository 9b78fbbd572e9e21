import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VenuesModule } from '../venues/venues.module';
import { Licence } from './entities/licence.entity';
import { LicencesController } from './licences.controller';
import { LicencesRepository } from './licences.repository';
import { LicencesService } from './licences.service';

/** Venue licences; exports the service so delivery code can ask for the terms in force. */
@Module({
  imports: [TypeOrmModule.forFeature([Licence]), VenuesModule],
  controllers: [LicencesController],
  providers: [LicencesRepository, LicencesService],
  exports: [LicencesService],
})
export class LicencesModule {}
