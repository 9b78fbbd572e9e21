import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import type { DemoContext, DemoSeedStep } from '../demo/demo-seed-registry';
import { PlanInvalidations } from '../plans/invalidation';
import { Programme } from './entities/programme.entity';
import { ProgrammesRepository } from './programmes.repository';
import { DEFAULT_MAX_TRACKS } from './programmes.service';

/**
 * The programmes' part of the first-run demo: for the demo business, an ordered programme of the demo label's ready
 * tracks (when the catalogue step made any) and a rules programme of calm genres, so the dashboard shows both kinds.
 */
@Injectable()
export class ProgrammesDemoStep implements DemoSeedStep {
  readonly name = 'programmes: demo programmes for the demo business';
  private readonly logger = new Logger('ProgrammesDemo');

  constructor(
    private readonly repository: ProgrammesRepository,
    private readonly audit: AuditService,
    private readonly invalidations: PlanInvalidations,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async run(context: DemoContext): Promise<void> {
    const now = this.clock.now();
    const base = {
      organisationId: context.business.id,
      repeatWindowMinutes: 60,
      artistSeparationMinutes: 15,
      crossfadeMs: 3000,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const [labelTracks] = await this.repository.trackIdsMatchingAll([
      {
        genres: [],
        moods: [],
        bpmMin: null,
        bpmMax: null,
        allowExplicit: false,
        ownerOrganisationIds: [context.label.id],
        maxTracks: DEFAULT_MAX_TRACKS,
      },
    ]);
    const programmes: Programme[] = [];
    if (labelTracks.length > 0) {
      programmes.push(
        Object.assign(new Programme(), {
          ...base,
          id: this.ids.next(),
          name: 'Demo: all day',
          kind: 'ordered',
          trackIds: labelTracks,
          rules: null,
        }),
      );
    }
    programmes.push(
      Object.assign(new Programme(), {
        ...base,
        id: this.ids.next(),
        name: 'Demo: calm (rules)',
        kind: 'rules',
        trackIds: null,
        rules: {
          genres: ['Ambient', 'Classical', 'Lounge'],
          moods: [],
          bpmMin: null,
          bpmMax: null,
          allowExplicit: false,
          ownerOrganisationIds: [],
          maxTracks: 200,
        },
      }),
    );
    await this.repository.transaction(async (m) => {
      for (const p of programmes) {
        await m.getRepository(Programme).insert(p);
        await this.invalidations.programme(m, p.id, 'programme.create');
        await this.audit.record(
          null,
          {
            action: 'programme.create',
            entityType: 'programme',
            entityId: p.id,
            organisationId: p.organisationId,
            after: { name: p.name, kind: p.kind, demo: true },
          },
          m,
        );
      }
    });
    this.logger.log({ msg: 'demo programmes created', count: programmes.length });
  }
}
