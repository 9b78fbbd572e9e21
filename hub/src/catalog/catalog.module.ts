import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ScopeResolvers } from '../auth/access/scope-resolvers';
import { DemoSeedRegistry } from '../demo/demo-seed-registry';
import { CatalogDemoStep } from './demo/catalog-demo.step';
import { passes } from '../auth/access/principal';
import { IngestJob } from './entities/ingest-job.entity';
import { Track } from './entities/track.entity';
import { IngestRunner } from './ingest/ingest-runner';
import { UploadService } from './ingest/upload.service';
import { RenditionFacts } from './rendition-facts';
import { TracksRepository } from './repositories/tracks.repository';
import { CatalogSearchRepository, catalogSearchRepositoryFor } from './search/catalog-search.repository';
import { MediaStore } from './storage/media-store';
import { TracksController } from './tracks.controller';
import { TracksService } from './tracks.service';

/** The catalogue: tracks, uploads, ingest jobs, search and preview streaming. */
@Module({
  imports: [TypeOrmModule.forFeature([Track, IngestJob])],
  controllers: [TracksController],
  providers: [
    TracksRepository,
    MediaStore,
    IngestRunner,
    UploadService,
    TracksService,
    RenditionFacts,
    CatalogDemoStep,
    {
      provide: CatalogSearchRepository,
      useFactory: (dataSource: DataSource) => catalogSearchRepositoryFor(dataSource),
      inject: [getDataSourceToken()],
    },
  ],
  exports: [UploadService, IngestRunner, TracksRepository, RenditionFacts, MediaStore],
})
export class CatalogModule implements OnModuleInit {
  constructor(
    private readonly resolvers: ScopeResolvers,
    private readonly tracks: TracksRepository,
    private readonly demo: DemoSeedRegistry,
    private readonly demoStep: CatalogDemoStep,
  ) {}

  onModuleInit(): void {
    this.demo.register(this.demoStep);
    // A track is visible to its label's members and, once ready, to members of any business (venue managers and
    // installers audition and programme the ready catalogue). The rule's roles already narrowed `tenants`.
    this.resolvers.register('track', {
      canSee: async (tenants, id) => {
        const row = await this.tracks.ownerAndStatus(id);
        if (!row) return false;
        if (passes(tenants, row.ownerOrganisationId)) return true;
        if (tenants.all || row.status !== 'ready') return false;
        return tenants.venueIds.length > 0 || (await this.tracks.anyBusiness(tenants.organisationIds));
      },
    });
  }
}
