import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { ApplianceStatusRow } from '../../appliance-api/status/appliance-status.entity';
import { liveStatus } from '../../appliance-api/status/live-status';
import { Appliance } from '../entities/appliance.entity';
import type { ApplianceLiveView, ApplianceStatusView } from './appliance-status.dto';
import { applianceView } from './appliance-view';

/** The live part of a view from the appliance's status row (null: never checked in). */
export function liveView(row: ApplianceStatusRow | null, now: Date, offlineAfterMs: number): ApplianceLiveView {
  return {
    status: liveStatus(row?.lastSeenAt ?? null, now, offlineAfterMs),
    lastSeenAt: row?.lastSeenAt.toISOString() ?? null,
    offlineSince: row?.offlineSince?.toISOString() ?? null,
    state: row?.state ?? null,
    nowPlaying: row?.nowPlaying ?? null,
    cache: row?.cache ?? null,
    diskFreeBytes: row?.diskFreeBytes ?? null,
    playLogPending: row?.playLogPending ?? null,
    planId: row?.planId ?? null,
    clockSkewMs: row?.clockSkewMs ?? null,
    softwareVersion: row?.softwareVersion ?? null,
    uptimeSeconds: row?.uptimeSeconds ?? null,
    recentErrors: row?.recentErrors ?? [],
  };
}

/** Appliances of a venue (revoked ones too, for their history), oldest first, each with its live status. */
export async function venueStatusViews(
  dataSource: DataSource,
  venueId: string,
  now: Date,
  offlineAfterMs: number,
): Promise<ApplianceStatusView[]> {
  const appliances = await dataSource
    .getRepository(Appliance)
    .find({ where: { venueId }, order: { createdAt: 'ASC', id: 'ASC' } });
  return withStatus(dataSource, appliances, now, offlineAfterMs);
}

/** `appliances` with their live status, in the same order (one query for all status rows). */
export async function withStatus(
  dataSource: DataSource,
  appliances: Appliance[],
  now: Date,
  offlineAfterMs: number,
): Promise<ApplianceStatusView[]> {
  const ids = appliances.map((a) => a.id);
  const rows =
    ids.length === 0 ? [] : await dataSource.getRepository(ApplianceStatusRow).findBy({ applianceId: In(ids) });
  const byId = new Map(rows.map((r) => [r.applianceId, r]));
  return appliances.map((a) => ({
    ...applianceView(a),
    live: liveView(byId.get(a.id) ?? null, now, offlineAfterMs),
  }));
}
