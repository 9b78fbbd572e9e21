import { Injectable, Logger } from '@nestjs/common';
import type { PlayBatchResult } from '@roomtone/provisioning';
import type { Appliance } from '../appliances/entities/appliance.entity';
import type { SignedNonce } from '../appliances/signed-requests/database-nonce-store';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import type { TrackPlaysQuery, VenuePlaysQuery } from './dto/play-queries.dto';
import { playHash } from './flags';
import type { PlayConflict } from './intake-steps';
import { validatePlayBatch } from './play-batch.validation';
import { PlanTracks } from './plan-tracks';
import { PlaysRepository } from './plays.repository';
import type { PlayPage, PlayView, TrackPlaysSummary } from './views';

/** The signature headers of the request that carried a batch (kept as proof of play). */
export interface BatchSignature {
  digest: string;
  signatureInput: string;
  signature: string;
}

const DAY_MS = 86_400_000;
/** A track summary covers at most this many days per request. */
export const MAX_SUMMARY_DAYS = 366;

/** Play intake (POST /appliance/v1/plays) and the play reports built on the stored plays. */
@Injectable()
export class PlaysService {
  private readonly logger = new Logger('plays');

  constructor(
    private readonly repository: PlaysRepository,
    private readonly planTracks: PlanTracks,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Stores a batch durably in one transaction, then answers: new plays counted once, resubmitted ones as
   * duplicates, changed resubmissions as conflicts (nothing new stored for them), flags, gaps and storedThrough.
   * The request's nonce is stored in the same transaction (a replay racing the original fails there).
   */
  async intake(
    appliance: Appliance,
    body: unknown,
    signature: BatchSignature,
    nonce: SignedNonce,
  ): Promise<PlayBatchResult & { conflicts: PlayConflict[] }> {
    const { plays } = validatePlayBatch(body);
    const inPlan = await this.planTracks.inPlans(
      appliance.zoneId,
      plays.map((r) => ({ planId: r.planId, trackId: r.trackId, startMs: Date.parse(r.startedAt) })),
    );
    const outcome = await this.repository.intake(nonce, {
      applianceId: appliance.id,
      venueId: appliance.venueId,
      zoneId: appliance.zoneId,
      plays,
      inPlan,
      hashMatches: plays.map((r) => playHash(r) === r.hash),
      batch: { id: this.ids.next(), ...signature },
      nowMs: this.clock.now().getTime(),
    });
    if (outcome.conflicts.length > 0 || outcome.flagged.length > 0) {
      this.logger.warn({
        msg: 'play batch stored with flags or conflicts',
        applianceId: appliance.id,
        accepted: outcome.accepted,
        duplicates: outcome.duplicates,
        flagged: outcome.flagged.length,
        conflicts: outcome.conflicts.slice(0, 10),
      });
    }
    return outcome;
  }

  /** Highest sequence stored with every lower one (0: none yet): check-in tells the appliance what it may delete. */
  storedThrough(applianceId: string): Promise<number> {
    return this.repository.storedThrough(applianceId);
  }

  /** A venue's plays in start order, paged by cursor (the guard has checked the caller sees the venue). */
  async venuePlays(venueId: string, query: VenuePlaysQuery): Promise<PlayPage> {
    const p = (n: number) => this.repository.p(n);
    const where = [`venue_id = ${p(1)}`];
    const params: unknown[] = [venueId];
    const add = (sql: (n: number) => string, ...values: unknown[]) => {
      where.push(sql(params.length + 1));
      params.push(...values);
    };
    if (query.from !== undefined) add((n) => `started_at >= ${p(n)}`, Date.parse(query.from));
    if (query.to !== undefined) add((n) => `started_at < ${p(n)}`, Date.parse(query.to));
    if (query.zoneId !== undefined) add((n) => `zone_id = ${p(n)}`, query.zoneId);
    if (query.flagged === true) where.push(`flags <> ''`);
    if (query.flagged === false) where.push(`flags = ''`);
    if (query.cursor !== undefined) {
      const [at, applianceId, playId] = query.cursor.split('_');
      add(
        (n) =>
          `(started_at > ${p(n)} OR (started_at = ${p(n + 1)} AND (appliance_id > ${p(n + 2)} OR (appliance_id = ${p(n + 3)} AND play_id > ${p(n + 4)}))))`,
        Number(at),
        Number(at),
        applianceId,
        applianceId,
        playId,
      );
    }
    const limit = query.limit ?? 100;
    const rows = await this.repository.query<PlayRow>(
      `SELECT * FROM plays WHERE ${where.join(' AND ')} ORDER BY started_at, appliance_id, play_id LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit).map(playView);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      plays: page,
      nextCursor: last === undefined ? null : `${Number(last.started_at)}_${last.appliance_id}_${last.play_id}`,
    };
  }

  /** Plays of a track per UTC day over [from, to] (the guard has checked the caller owns or operates the track). */
  async trackPlays(trackId: string, query: TrackPlaysQuery): Promise<TrackPlaysSummary> {
    const today = Math.floor(this.clock.now().getTime() / DAY_MS);
    const toDay = query.to === undefined ? today : dayNumber(query.to, 'to');
    const fromDay = query.from === undefined ? toDay - 29 : dayNumber(query.from, 'from');
    if (fromDay > toDay || toDay - fromDay + 1 > MAX_SUMMARY_DAYS) {
      throw new AppError(
        ErrorCode.ValidationFailed,
        `from must be on or before to, and the range at most ${MAX_SUMMARY_DAYS} days; ask for a shorter period`,
        { fields: [{ field: 'from', problems: ['must be on or before to, at most 366 days before it'] }] },
      );
    }
    const p = (n: number) => this.repository.p(n);
    const rows = await this.repository.query<{
      day: number | string;
      plays: number | string;
      flagged: number | string;
      seconds: number | string | null;
    }>(
      `SELECT started_at / ${DAY_MS} AS day, COUNT(*) AS plays, SUM(CASE WHEN flags <> '' THEN 1 ELSE 0 END) AS flagged, ` +
        `SUM(seconds_audible) AS seconds FROM plays WHERE track_id = ${p(1)} AND started_at >= ${p(2)} AND started_at < ${p(3)} ` +
        'GROUP BY started_at / ' +
        `${DAY_MS} ORDER BY day`,
      [trackId, fromDay * DAY_MS, (toDay + 1) * DAY_MS],
    );
    const days = rows.map((r) => ({
      day: dayText(Number(r.day)),
      plays: Number(r.plays),
      flagged: Number(r.flagged),
      secondsAudible: Number(r.seconds ?? 0),
    }));
    return {
      trackId,
      from: dayText(fromDay),
      to: dayText(toDay),
      total: {
        plays: days.reduce((s, d) => s + d.plays, 0),
        flagged: days.reduce((s, d) => s + d.flagged, 0),
        secondsAudible: days.reduce((s, d) => s + d.secondsAudible, 0),
      },
      days,
    };
  }
}

interface PlayRow {
  appliance_id: string;
  play_id: string;
  sequence: number | string;
  zone_id: string | null;
  track_id: string;
  isrc: string | null;
  title: string | null;
  artist: string | null;
  album: string | null;
  label: string | null;
  started_at: number | string;
  seconds_audible: number | string;
  time_zone: string;
  block_id: string | null;
  rule: string | null;
  programme_id: string | null;
  plan_id: string | null;
  source: PlayView['source'];
  quality: PlayView['quality'];
  offline: boolean | number;
  ended: PlayView['ended'];
  flags: string;
  received_at: number | string;
}

function playView(r: PlayRow): PlayView {
  return {
    playId: r.play_id,
    applianceId: r.appliance_id,
    sequence: Number(r.sequence),
    zoneId: r.zone_id,
    trackId: r.track_id,
    isrc: r.isrc,
    title: r.title,
    artist: r.artist,
    album: r.album,
    label: r.label,
    startedAt: new Date(Number(r.started_at)).toISOString(),
    secondsAudible: Number(r.seconds_audible),
    timeZone: r.time_zone,
    blockId: r.block_id,
    rule: r.rule,
    programmeId: r.programme_id,
    planId: r.plan_id,
    source: r.source,
    quality: r.quality,
    offline: Boolean(r.offline),
    ended: r.ended,
    flags: r.flags === '' ? [] : (r.flags.split(',') as PlayView['flags']),
    receivedAt: new Date(Number(r.received_at)).toISOString(),
  };
}

function dayNumber(text: string, field: string): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms)) {
    throw AppError.validation([{ field, problems: [`${text} is not a calendar day; use YYYY-MM-DD`] }]);
  }
  return ms / DAY_MS;
}

function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
