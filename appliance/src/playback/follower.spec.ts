import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LicenceTermsDoc, PlanIntervalDoc, PlanPayload, PlanProgrammeDoc } from '@roomtone/provisioning';
import { expand, parseScheduleJson } from '@roomtone/schedules';
import { ManualClocks, TrustedTime } from '../time';
import { FakeCache, FakeHub, FakeLog, FakePlayer, noDecode, trackDoc } from './__fixtures__/fakes';
import { PlanFollower } from './follower';
import { RecentPlays } from './history';

const MIN = 60_000;
const TRACK_MS = 3 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

/** The Berlin café fixture compiled by the schedules library for 2026-03-28..30 (spring forward on the 29th). */
function berlinIntervals(): PlanIntervalDoc[] {
  const fixture = join(__dirname, '../../../test/integration/schedules-cli/fixtures/berlin-cafe.json');
  const schedule = parseScheduleJson(readFileSync(fixture, 'utf8'));
  return expand(schedule, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z')).map((i) => ({
    start: iso(i.startMs),
    end: iso(i.endMs),
    programmeId: i.programme,
    volume: i.volume,
    startMode: i.start.mode,
    maxLatenessSeconds: i.start.mode === 'soft' ? (i.start.maxLatenessSec ?? null) : null,
    blockId: i.blockId,
    rule: i.rule,
    ruleKind: i.ruleKind,
    occurrence: i.occurrence,
    priority: i.priority,
    source: i.overrideId ? 'override' : 'scheduled',
  }));
}

function programme(id: string, trackIds: string[], crossfadeMs = 0): PlanProgrammeDoc {
  return {
    id,
    name: id,
    version: 1,
    order: 'ordered',
    repeatWindowMinutes: 0,
    artistSeparationMinutes: 0,
    crossfadeMs,
    trackIds,
  };
}

const LICENCE: LicenceTermsDoc = {
  licenceId: 'lic-1',
  version: 1,
  venueId: 'venue-1',
  tier: 'full',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  leaseDays: 7,
};

function plan(intervals: PlanIntervalDoc[], over: Partial<PlanPayload> = {}): PlanPayload {
  const programmes = ['late-jazz', 'cleaning-crew', 'acoustic-day', 'upbeat-lunch'].map((p) =>
    programme(
      p,
      [1, 2, 3].map((n) => `${p}-${n}`),
      p === 'late-jazz' ? 2000 : 0,
    ),
  );
  return {
    type: 'roomtone.plan',
    formatVersion: 1,
    planId: 'plan-1',
    zoneId: 'zone-1',
    venueId: 'venue-1',
    timeZone: 'Europe/Berlin',
    tzdbVersion: '2025b',
    scheduleVersion: 1,
    compiledAt: '2026-03-27T12:00:00Z',
    from: '2026-03-28T00:00:00Z',
    until: '2026-03-30T00:00:00Z',
    licence: LICENCE,
    intervals,
    programmes,
    tracks: programmes.flatMap((p) => p.trackIds.map((id) => trackDoc(id, `artist of ${id}`, TRACK_MS))),
    ...over,
  };
}

function setup(
  startIso: string,
  planDoc: PlanPayload | null = plan(berlinIntervals()),
  options: { lastContactMs?: number } = {},
) {
  const clocks = new ManualClocks(at(startIso), 50_000);
  const hub = new FakeHub();
  hub.planDoc = planDoc;
  hub.hubTime = { hubTimeMs: at(startIso), monotonicMs: 50_000 };
  const cache = new FakeCache();
  for (const t of planDoc?.tracks ?? []) cache.cached.add(t.id);
  const log = new FakeLog();
  const players: FakePlayer[] = [];
  const time = new TrustedTime({
    wall: clocks.wall,
    monotonic: clocks.monotonic,
    hubTime: () => hub.hubTime,
    plausible: () =>
      hub.planDoc ? { compiledAtMs: at(hub.planDoc.compiledAt), untilMs: at(hub.planDoc.until) } : null,
  });
  const follower = new PlanFollower({
    time: () => time.now(),
    hub,
    cache,
    log,
    history: new RecentPlays(),
    createPlayer: (volume) => {
      const player = new FakePlayer(
        volume,
        () => clocks.monoMs,
        () => TRACK_MS,
      );
      players.push(player);
      return player;
    },
    decode: noDecode,
    seed: 1,
    ...(options.lastContactMs !== undefined ? { lastContactMs: () => options.lastContactMs ?? null } : {}),
  });
  /** Advances the clock in `stepMs` steps to `untilIso`, ticking the follower and letting the player play. */
  const runUntil = async (untilIso: string, stepMs = 10_000) => {
    const end = at(untilIso);
    while (clocks.wallMs < end) {
      clocks.advance(Math.min(stepMs, end - clocks.wallMs));
      for (const p of players) p.pump();
      await follower.tick();
    }
  };
  const player = () => players[players.length - 1];
  return { clocks, hub, cache, log, players, player, follower, runUntil };
}

describe('PlanFollower', () => {
  it('Berlin spring-forward night (2026-03-29): late-jazz plays from 21:00Z through local midnight and the 02:00->03:00 jump without a stop, and stops at 06:00 CEST (04:00Z)', async () => {
    const t = setup('2026-03-28T20:50:00Z');
    await t.follower.tick();
    expect(t.follower.status()).toMatchObject({
      state: 'silent',
      reason: expect.stringContaining("next block 'evening'"),
    });
    await t.runUntil('2026-03-29T04:10:00Z');
    const plays = t.log.plays;
    expect(plays[0]).toMatchObject({
      programmeId: 'late-jazz',
      blockId: 'evening',
      source: 'scheduled',
      quality: 'full',
      offline: false,
    });
    expect(at(plays[0].startedAt)).toBe(at('2026-03-28T21:00:00Z'));
    // One player for the whole night: no stop at local midnight (23:00Z) or at the DST jump (01:00Z).
    expect(t.players).toHaveLength(1);
    expect(t.players[0].actions.filter((a) => a.startsWith('stop'))).toEqual(['stop 1000']);
    expect(t.players[0].volume).toBe(35);
    // 7 real hours of 3-minute tracks (the night is an hour short: 22:00 CET to 06:00 CEST), back to back.
    expect(plays).toHaveLength(140);
    for (let i = 1; i < plays.length; i++) expect(at(plays[i].startedAt) - at(plays[i - 1].startedAt)).toBe(TRACK_MS);
    expect(plays.slice(0, 4).map((p) => p.trackId)).toEqual([
      'late-jazz-1',
      'late-jazz-2',
      'late-jazz-3',
      'late-jazz-1',
    ]);
    const last = plays[plays.length - 1];
    expect(at(last.startedAt) + TRACK_MS).toBe(at('2026-03-29T04:00:00Z'));
    expect(plays.every((p) => p.ended === 'completed' && p.secondsAudible === 180)).toBe(true);
    expect(t.follower.status()).toMatchObject({ state: 'silent', nowPlaying: null });
  });

  it('hard start at 02:30 CET (01:30Z on 2026-03-28): the jazz track is cut at the boundary and cleaning-crew starts at volume 20', async () => {
    const t = setup('2026-03-28T01:20:00Z');
    await t.runUntil('2026-03-28T01:40:00Z', 5_000);
    const jazz = t.log.plays.filter((p) => p.programmeId === 'late-jazz');
    const crew = t.log.plays.filter((p) => p.programmeId === 'cleaning-crew');
    expect(jazz.at(-1)).toMatchObject({ ended: 'stopped' });
    expect(at(jazz.at(-1)!.startedAt) + jazz.at(-1)!.secondsAudible! * 1000).toBe(at('2026-03-28T01:30:00Z'));
    expect(t.players[0].actions.at(-1)).toBe('stop 300');
    expect(at(crew[0].startedAt)).toBe(at('2026-03-28T01:30:00Z'));
    expect(crew[0]).toMatchObject({ blockId: 'night-service', rule: expect.stringContaining('FREQ=DAILY') });
    expect(t.player().volume).toBe(20);
  });

  it('soft start at 03:00Z: cleaning-crew finishes its track, late-jazz follows it without a stop and the volume ramps to 35', async () => {
    const t = setup('2026-03-28T02:50:00Z');
    await t.runUntil('2026-03-28T03:10:00Z', 5_000);
    const plays = t.log.plays;
    const firstJazz = plays.find((p) => p.programmeId === 'late-jazz')!;
    const lastCrew = plays.filter((p) => p.programmeId === 'cleaning-crew').at(-1)!;
    // The boundary falls inside a crew track (started 02:59:... at 3-minute steps from 02:50): it completes.
    expect(lastCrew.ended).toBe('completed');
    expect(at(lastCrew.startedAt)).toBeLessThan(at('2026-03-28T03:00:00Z'));
    expect(at(firstJazz.startedAt)).toBe(at(lastCrew.startedAt) + TRACK_MS);
    expect(at(firstJazz.startedAt)).toBeGreaterThan(at('2026-03-28T03:00:00Z'));
    expect(t.players).toHaveLength(1);
    expect(t.players[0].actions).toContain('volume 35 2000');
    expect(t.players[0].actions.filter((a) => a.startsWith('stop'))).toEqual([]);
  });

  it('soft start later than maxLatenessSeconds: switches at boundary + lateness', async () => {
    const intervals = berlinIntervals().map((i) =>
      i.blockId === 'evening' && i.start === '2026-03-28T03:00:00.000Z' ? { ...i, maxLatenessSeconds: 30 } : i,
    );
    const t = setup('2026-03-28T02:58:00Z', plan(intervals));
    await t.runUntil('2026-03-28T03:05:00Z', 5_000);
    const firstJazz = t.log.plays.find((p) => p.programmeId === 'late-jazz')!;
    expect(at(firstJazz.startedAt)).toBe(at('2026-03-28T03:00:30Z'));
    expect(t.players[0].actions.at(-1)).toBe('stop 300');
  });

  it('offline lease: plays while lastHubTime + leaseDays is ahead, then nothing, and status says why and since when', async () => {
    const t = setup('2026-03-28T21:00:00Z', plan(berlinIntervals(), { licence: { ...LICENCE, leaseDays: 0.01 } }));
    t.hub.isOnline = false;
    await t.follower.tick();
    expect(t.follower.status().state).toBe('playing');
    expect(t.log.plays[0].offline).toBe(true);
    expect(t.follower.status().offlineSafeUntil).toBe('2026-03-28T21:14:24.000Z');
    await t.runUntil('2026-03-28T21:20:00Z');
    const status = t.follower.status();
    expect(status).toMatchObject({ state: 'lease-expired', since: '2026-03-28T21:14:30.000Z', nowPlaying: null });
    expect(status.reason).toMatch(/offline lease of 0.01 days ended at 2026-03-28T21:14:24.000Z/);
    expect(t.log.plays.at(-1)).toMatchObject({ ended: 'stopped' });
  });

  it('clock jump: the wall clock set back a day does not replay yesterday; the hub-derived time is used', async () => {
    const t = setup('2026-03-28T21:00:00Z');
    await t.runUntil('2026-03-28T21:10:00Z');
    t.clocks.jumpWall(-24 * 3_600_000);
    await t.runUntil('2026-03-27T21:20:00Z');
    const status = t.follower.status();
    expect(status.state).toBe('playing');
    expect(status.clock).toMatchObject({ trusted: true, basis: 'hub' });
    expect(t.players).toHaveLength(1);
    expect(at(t.log.plays.at(-1)!.startedAt)).toBeGreaterThan(at('2026-03-28T21:10:00Z'));
  });

  it('no trustworthy time (no hub time, wall clock outside the plan window): plays nothing and says why', async () => {
    const t = setup('2026-03-28T21:00:00Z');
    t.hub.hubTime = null;
    t.clocks.wallMs = at('2020-01-01T00:00:00Z');
    await t.follower.tick();
    expect(t.follower.status()).toMatchObject({ state: 'clock-untrusted', since: '2020-01-01T00:00:00.000Z' });
    expect(t.players).toHaveLength(0);
  });

  it('no plan, no licence, outside the horizon: nothing plays, each with its state', async () => {
    const none = setup('2026-03-28T21:00:00Z', null);
    await none.follower.tick();
    expect(none.follower.status().state).toBe('no-plan');
    const unlicensed = setup('2026-03-28T21:00:00Z', plan(berlinIntervals(), { licence: null }));
    await unlicensed.follower.tick();
    expect(unlicensed.follower.status().state).toBe('no-licence');
    const expired = setup('2026-03-30T00:00:00Z');
    await expired.follower.tick();
    expect(expired.follower.status().state).toBe('plan-expired');
    for (const t of [none, unlicensed, expired]) expect(t.log.plays).toHaveLength(0);
  });

  it('a missing track is replaced by another cached track of the programme; nothing cached + online: previews', async () => {
    const t = setup('2026-03-28T21:00:00Z');
    t.cache.cached.delete('late-jazz-1');
    await t.runUntil('2026-03-28T21:01:00Z');
    expect(t.log.plays[0]).toMatchObject({ trackId: 'late-jazz-2', quality: 'full', source: 'scheduled' });

    const p = setup('2026-03-28T21:00:00Z');
    p.cache.cached.clear();
    await p.runUntil('2026-03-28T21:01:00Z');
    expect(p.log.plays[0]).toMatchObject({ trackId: 'late-jazz-1', quality: 'preview', source: 'preview' });

    const offline = setup('2026-03-28T21:00:00Z');
    offline.cache.cached.clear();
    offline.hub.isOnline = false;
    await offline.follower.tick();
    expect(offline.follower.status()).toMatchObject({
      state: 'silent',
      reason: expect.stringMatching(/no track of it is cached/),
    });
  });

  it('preview-only licence: previews while online', async () => {
    const t = setup('2026-03-28T21:00:00Z', plan(berlinIntervals(), { licence: { ...LICENCE, tier: 'preview' } }));
    await t.runUntil('2026-03-28T21:01:00Z');
    expect(t.log.plays[0]).toMatchObject({ quality: 'preview', source: 'preview' });
  });

  it('records progress every 5 s and closes the play as stopped on a graceful stop', async () => {
    const t = setup('2026-03-28T21:00:00Z');
    await t.runUntil('2026-03-28T21:00:20Z', 1_000);
    // Started at the first tick (21:00:01): audible time recorded 5, 10 and 15 s in.
    expect(t.log.plays[0].progress).toEqual([5, 10, 15]);
    await t.follower.stop();
    expect(t.log.plays[0]).toMatchObject({ ended: 'stopped', secondsAudible: 19 });
    expect(t.player().actions.at(-1)).toBe('stop 1000');
  });

  it('a play log that cannot be written stops the audio before the track is heard (nothing plays unlogged)', async () => {
    const t = setup('2026-03-28T21:00:00Z');
    t.log.refuse = true;
    await expect(t.follower.tick()).rejects.toThrow('disk full');
    expect(t.follower.status().reason).toMatch(/play log cannot be written/);
  });
});

describe('PlanFollower and plan updates', () => {
  it('a recompiled plan with the same block and tracks does not interrupt the playing track; the new volume ramps', async () => {
    const t = setup('2026-03-28T21:00:00Z');
    await t.runUntil('2026-03-28T21:01:00Z');
    const recompiled = plan(
      berlinIntervals().map((i) => (i.blockId === 'evening' ? { ...i, volume: 45 } : i)),
      { planId: 'plan-2' },
    );
    t.hub.planDoc = recompiled;
    await t.runUntil('2026-03-28T21:10:00Z');
    expect(t.players).toHaveLength(1);
    expect(t.players[0].actions.filter((a) => a.startsWith('stop'))).toEqual([]);
    expect(t.players[0].actions).toContain('volume 45 2000');
    expect(t.log.plays[0]).toMatchObject({ planId: 'plan-1', ended: 'completed' });
    expect(t.log.plays.at(-1)).toMatchObject({ planId: 'plan-2' });
  });

  it('a new plan whose programme no longer has the playing track switches at once (300 ms fade)', async () => {
    const t = setup('2026-03-28T21:00:00Z');
    await t.runUntil('2026-03-28T21:01:00Z');
    const changed = plan(berlinIntervals(), { planId: 'plan-3' });
    const jazz = changed.programmes.find((p) => p.id === 'late-jazz')!;
    jazz.trackIds = ['late-jazz-3'];
    t.hub.planDoc = changed;
    await t.runUntil('2026-03-28T21:01:10Z');
    expect(t.players[0].actions.at(-1)).toBe('stop 300');
    expect(t.log.plays.at(-1)).toMatchObject({ planId: 'plan-3', trackId: 'late-jazz-3' });
  });
});

describe('PlanFollower offline lease after a restart', () => {
  it("runs from the stored signed hub time when this process has not checked in, not from the plan's compiledAt", async () => {
    // The plan was compiled long ago (unchanged since), the last check-in was yesterday, the lease is 7 days.
    const old = plan(berlinIntervals(), { compiledAt: '2026-03-01T00:00:00Z' });
    const fresh = setup('2026-03-28T21:00:00Z', old);
    fresh.hub.hubTime = null;
    await fresh.follower.tick();
    expect(fresh.follower.status().state).toBe('lease-expired');

    const restarted = setup('2026-03-28T21:00:00Z', old, { lastContactMs: at('2026-03-27T21:00:00Z') });
    restarted.hub.hubTime = null;
    await restarted.follower.tick();
    expect(restarted.follower.status()).toMatchObject({
      state: 'playing',
      offlineSafeUntil: '2026-03-30T00:00:00.000Z',
    });
  });
});
