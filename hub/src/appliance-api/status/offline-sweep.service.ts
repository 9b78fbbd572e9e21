import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { offlineFrom } from './live-status';
import { ApplianceStatusRepository } from './appliance-status.repository';

/** Rows handled per sweep statement; the rest wait for the next sweep. */
const BATCH = 500;

/**
 * Records the online -> offline transition (`offline_since`) of appliances that went silent, for the dashboard and
 * metrics. Whether an appliance is offline never depends on this sweep having run (it is computed from
 * `last_seen_at` at read time); the sweep only stamps when it happened. Several hubs may sweep at once: each update is
 * conditional, so an appliance is marked once and a check-in racing the sweep wins.
 */
@Injectable()
export class OfflineSweep implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('OfflineSweep');
  private timer?: NodeJS.Timeout;
  private readonly transitions: Counter;

  constructor(
    private readonly statuses: ApplianceStatusRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    const offlineAfterMs = config.applianceOfflineAfterMs;
    const repo = statuses;
    const now = (): Date => clock.now();
    new Gauge({
      name: 'roomtone_appliances',
      help: 'Active appliances by live status (online: checked in within ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS)',
      labelNames: ['status'],
      registers: [metrics.registry],
      async collect() {
        const counts = await repo.liveCounts(new Date(now().getTime() - offlineAfterMs));
        for (const status of ['online', 'offline', 'never'] as const) this.set({ status }, counts[status]);
      },
    });
    this.transitions = new Counter({
      name: 'roomtone_appliance_offline_transitions_total',
      help: 'Appliances this hub recorded going offline',
      registers: [metrics.registry],
    });
  }

  /** Marks every appliance silent for the threshold or longer as offline since then; returns how many. */
  async sweep(): Promise<number> {
    const offlineAfterMs = this.config.applianceOfflineAfterMs;
    const cutoff = new Date(this.clock.now().getTime() - offlineAfterMs);
    let marked = 0;
    for (const row of await this.statuses.silentSince(cutoff, BATCH)) {
      if (
        await this.statuses.markOffline(row.applianceId, row.lastSeenAt, offlineFrom(row.lastSeenAt, offlineAfterMs))
      ) {
        marked += 1;
        this.logger.log({ msg: 'appliance offline', applianceId: row.applianceId, lastSeenAt: row.lastSeenAt });
      }
    }
    this.transitions.inc(marked);
    return marked;
  }

  onModuleInit(): void {
    // Often enough that offline_since is at most a tenth of the threshold late, at most every 30 s.
    const every = Math.min(30_000, Math.max(1000, Math.floor(this.config.applianceOfflineAfterMs / 10)));
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn({ msg: 'offline sweep failed', error: String(error) }));
    }, every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
