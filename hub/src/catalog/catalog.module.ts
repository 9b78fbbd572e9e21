import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestJob } from './entities/ingest-job.entity';
import { Track } from './entities/track.entity';

/** The catalogue: tracks, uploads, ingest jobs, search and preview streaming. */
@Module({
  imports: [TypeOrmModule.forFeature([Track, IngestJob])],
})
export class CatalogModule {}
