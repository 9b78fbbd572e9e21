import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { Appliance } from '../../appliances/entities/appliance.entity';
import { DatabaseNonceStore, type SignedNonce } from '../../appliances/signed-requests/database-nonce-store';
import { fromNonceClaim } from '../../appliances/signed-requests/signature-errors';
import { GroupCommit } from '../../database/group-commit';
import { ApplianceStatusRow } from './appliance-status.entity';

/** Counts of active appliances by live status at one instant. */
export interface LiveCounts {
  online: number;
  offline: number;
  never: number;
}

const COLUMNS = [
  'appliance_id',
  'last_seen_at',
  'clock_skew_ms',
  'state',
  'software_version',
  'uptime_seconds',
  'now_playing',
  'cache',
  'disk_free_bytes',
  'play_log_pending',
  'play_log_last_sequence',
  'plan_id',
  'licence_etag',
  'recent_errors',
  'online',
  'offline_since',
];
const SQLITE_UPSERT =
  `INSERT INTO appliance_statuses (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ` +
  `ON CONFLICT (appliance_id) DO UPDATE SET ${COLUMNS.slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}`;

/** Queries on appliance_statuses. */
@Injectable()
export class ApplianceStatusRepository {
  constructor(
    @InjectRepository(ApplianceStatusRow) private readonly repo: Repository<ApplianceStatusRow>,
    private readonly commits: GroupCommit,
    private readonly nonces: DatabaseNonceStore,
  ) {}

  /**
   * Replaces the appliance's row with `row` (INSERT ... ON CONFLICT DO UPDATE on both databases). With `nonce` (a
   * check-in's), the nonce is stored in the same transaction first: a replay throws the replay 401, changing nothing.
   */
  async record(row: ApplianceStatusRow, nonce?: SignedNonce): Promise<void> {
    if (this.commits.enabled) {
      // SQLite: one fsync for all check-ins of this turn. Values encoded as the entity's columns store them.
      const values = [
        row.applianceId,
        row.lastSeenAt.toISOString(),
        row.clockSkewMs,
        row.state,
        row.softwareVersion,
        row.uptimeSeconds,
        row.nowPlaying === null ? null : JSON.stringify(row.nowPlaying),
        JSON.stringify(row.cache),
        row.diskFreeBytes,
        row.playLogPending,
        row.playLogLastSequence,
        row.planId,
        row.licenceEtag,
        JSON.stringify(row.recentErrors),
        row.online ? 1 : 0,
        row.offlineSince?.toISOString() ?? null,
      ];
      await this.commits.run(SQLITE_UPSERT, values, nonce).catch((error: unknown) => {
        throw fromNonceClaim(error);
      });
      return;
    }
    const upsert = { conflictPaths: ['applianceId'], skipUpdateIfNoValuesChanged: false };
    if (nonce === undefined) {
      await this.repo.upsert(row, upsert);
      return;
    }
    await this.repo.manager.transaction(async (manager) => {
      await this.nonces.claimIn((sql, params) => manager.query(sql, params), nonce);
      await manager.getRepository(ApplianceStatusRow).upsert(row, upsert);
    });
  }

  find(applianceId: string): Promise<ApplianceStatusRow | null> {
    return this.repo.findOneBy({ applianceId });
  }

  findMany(applianceIds: string[]): Promise<ApplianceStatusRow[]> {
    if (applianceIds.length === 0) return Promise.resolve([]);
    return this.repo.findBy({ applianceId: In(applianceIds) });
  }

  /** Rows still marked online whose last check-in is at or before `cutoff`: the sweep's candidates. */
  silentSince(cutoff: Date, limit: number): Promise<{ applianceId: string; lastSeenAt: Date }[]> {
    return this.repo
      .createQueryBuilder('s')
      .select(['s.applianceId', 's.lastSeenAt'])
      .where('s.online = :online', { online: true })
      .andWhere('s.last_seen_at <= :cutoff', { cutoff: cutoff.toISOString() })
      .orderBy('s.last_seen_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Marks one appliance offline since `offlineSince`, only if it has not checked in meanwhile (its lastSeenAt is
   * still `lastSeenAt`): a check-in racing the sweep wins. Returns whether the row changed.
   */
  async markOffline(applianceId: string, lastSeenAt: Date, offlineSince: Date): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(ApplianceStatusRow)
      .set({ online: false, offlineSince })
      .where('appliance_id = :applianceId', { applianceId })
      .andWhere('last_seen_at = :seen', { seen: lastSeenAt.toISOString() })
      .andWhere('online = :online', { online: true })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Active appliances by live status, with `cutoff` = now - the offline threshold (computed in SQL, one query). */
  async liveCounts(cutoff: Date): Promise<LiveCounts> {
    const raw = await this.repo.manager
      .createQueryBuilder(Appliance, 'a')
      .leftJoin(ApplianceStatusRow, 's', 's.appliance_id = a.id')
      .select('SUM(CASE WHEN s.appliance_id IS NULL THEN 1 ELSE 0 END)', 'never')
      .addSelect('SUM(CASE WHEN s.last_seen_at > :cutoff THEN 1 ELSE 0 END)', 'online')
      .addSelect('COUNT(*)', 'total')
      .where('a.status = :status', { status: 'active' })
      .setParameter('cutoff', cutoff.toISOString())
      .getRawOne<{ never: string | number | null; online: string | number | null; total: string | number }>();
    const never = Number(raw?.never ?? 0);
    const online = Number(raw?.online ?? 0);
    return { online, never, offline: Number(raw?.total ?? 0) - never - online };
  }
}
