import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import type { PlanInvalidation } from './invalidation';
import { PlansRepository } from './plans.repository';
import { HORIZON_REFRESH_MS, PlansService } from './plans.service';

/** Recompile a current plan when its horizon started more than this long ago. */
export { HORIZON_REFRESH_MS };
/** Invalidation rows and due zones handled per round. */
const BATCH = 1000;

/** What one round did. */
export interface WorkerRound {
  invalidations: number;
  invalidatedZones: number;
  dueZones: number;
  pruned: number;
}

/**
 * Keeps plans current: consumes plan_invalidations (deleting them in the transaction that stores the new plans),
 * recompiles plans whose horizon advanced or whose licence began or ended, and prunes plans superseded more than 90 days ago. Runs every ROOMTONE_PLAN_WORKER_INTERVAL_MS (0: only when a test
 * calls runOnce). Safe with several hubs: rows are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL.
 */
@Injectable()
export class PlanWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PlanWorker');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<WorkerRound> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PlansRepository,
    private readonly plans: PlansService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.planWorkerIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running !== null || this.stopped) return;
      this.runOnce().catch((error: unknown) =>
        this.logger.error({ msg: 'plan worker round failed', error: String(error) }),
      );
    }, this.config.planWorkerIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round; concurrent calls share the round in progress. */
  runOnce(): Promise<WorkerRound> {
    if (this.running === null) {
      this.running = this.round().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async round(): Promise<WorkerRound> {
    const result: WorkerRound = { invalidations: 0, invalidatedZones: 0, dueZones: 0, pruned: 0 };
    for (;;) {
      const [rows, zones] = await this.consumeInvalidations();
      result.invalidations += rows;
      result.invalidatedZones += zones;
      if (rows < BATCH) break;
    }
    const now = this.clock.now();
    const due = await this.repository.dueZones(new Date(now.getTime() - HORIZON_REFRESH_MS), now, BATCH);
    if (due.length > 0) await this.plans.compileZones(due, 'horizon or licence validity');
    result.dueZones = due.length;
    result.pruned = await this.plans.prune();
    if (result.invalidations + result.dueZones + result.pruned > 0) {
      this.logger.log({ msg: 'plans recompiled', ...result });
    }
    return result;
  }

  /** One batch of invalidation rows: [rows consumed, zones compiled]. */
  private async consumeInvalidations(): Promise<[number, number]> {
    if (this.repository.isPostgres) {
      return this.dataSource.transaction(async (m) => {
        const rows = await this.repository.claimInvalidations(m, BATCH);
        if (rows.length === 0) return [0, 0] as [number, number];
        const zones = await this.zonesFor(rows);
        await this.plans.compileWithin(m, zones, reasonOf(rows));
        await this.repository.deleteInvalidations(
          m,
          rows.map((r) => r.id),
        );
        return [rows.length, zones.length] as [number, number];
      });
    }
    // SQLite has one writer: read the rows, compile, then delete exactly those rows with the new plans. Rows
    // written meanwhile stay for the next round.
    const rows = await this.repository.claimInvalidations(this.dataSource.manager, BATCH);
    if (rows.length === 0) return [0, 0];
    const zones = await this.zonesFor(rows);
    await this.plans.compileZones(zones, reasonOf(rows), (m) =>
      this.repository.deleteInvalidations(
        m,
        rows.map((r) => r.id),
      ),
    );
    return [rows.length, zones.length];
  }

  /** The zones whose plans an invalidation affects. */
  private async zonesFor(rows: readonly PlanInvalidation[]): Promise<string[]> {
    if (rows.some((r) => r.scope === 'all')) return this.repository.allZoneIds();
    const ids = (scope: PlanInvalidation['scope']) =>
      rows.filter((r) => r.scope === scope && r.scopeId !== null).map((r) => r.scopeId!);
    const zones = new Set(ids('zone'));
    for (const z of await this.repository.zonesOfVenues(ids('venue'))) zones.add(z);
    for (const z of await this.repository.zonesNamingProgrammes(ids('programme'))) zones.add(z);
    const tracks = ids('track');
    if (tracks.length > 0) {
      for (const z of await this.repository.zonesWithTracks(tracks)) zones.add(z);
      // A track that became ready or changed its tags may now match a rules programme of any schedule.
      for (const z of await this.repository.zonesNamingRulesProgrammes()) zones.add(z);
    }
    return [...zones];
  }
}

function reasonOf(rows: readonly PlanInvalidation[]): string {
  return [...new Set(rows.map((r) => r.reason))].join(', ').slice(0, 100);
}
