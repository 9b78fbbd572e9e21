import { join } from 'node:path';
import type { PlanIntervalDoc } from '@roomtone/provisioning';
import { expand, parseSchedule } from '@roomtone/schedules';
import { PLAY_LOG_FILE, SqlitePlayLog } from '../../../appliance/src/playlog/play-log';
import { align, leftChannel } from '../../support/audio-analysis';
import { SIGNALS, makeMp3, referenceDecode, requireAudioTools } from '../../support/audio-fixtures';
import { pulseSuite } from '../../support/pulse';
import {
  encryptIntoCache,
  offlineAppliance,
  onePlanBlock,
  storeSignedPlan,
  trackDoc,
} from '../../integration/appliance-playback/support';
import {
  type ApplianceProcess,
  RATE,
  perfToWallMs,
  readStatus,
  sampleAtWall,
  startAppliance,
  stopAppliance,
  until,
} from './support';

/*
 * Issue 6, "Time": a real `roomtone-appliance run` process whose wall clock is moved (ROOMTONE_TEST_CLOCK_OFFSET_MS,
 * the run command's test hook) to 20 s before the instant Asia/Beirut leaves Saturday 27 March 2027 23:59:59 EET for
 * Sunday 28 March 01:00:00 EEST: a DST change and a day boundary at once (2027-03-27T22:00:00Z). The plan is what the
 * schedules engine expands for a "late" block ending at midnight and an "early" block starting at midnight (which does
 * not exist that night: clipped to 01:00). The appliance is offline (it trusts the wall clock the plan agrees with)
 * and must switch from the late programme to the early one at the crossing, as heard at the capture sink.
 */

jest.setTimeout(120_000);

const ZONE = 'Asia/Beirut';
const CROSSING = Date.parse('2027-03-27T22:00:00Z');
const APPLIANCE_ID = '0195f0e0-0000-7000-8000-0000000000d5';
/** Hard start at the boundary: the follower's 250 ms tick, the 300 ms fade, the first decode, the server buffer. */
const SWITCH_LATE_MS = 1_500;

describe('appliance time: a real run process crosses a DST change and a day boundary in seconds', () => {
  let app: ApplianceProcess | undefined;
  // Declared first, so it runs before pulseSuite's afterAll stops PulseAudio under the appliance.
  afterAll(async () => {
    if (app) await stopAppliance(app);
  });
  const { pulse, dir } = pulseSuite('roomtone-e2e-time-', requireAudioTools);

  it('switches from the late block to the early one at 2027-03-27T22:00:00Z (23:59:59 EET -> 01:00 EEST)', async () => {
    // The local wall clock jumps over midnight: the day and the offset change at the same instant.
    const local = (ms: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'long' }).format(new Date(ms));
    expect(local(CROSSING - 1000)).toBe('27/03/2027, 23:59:59 EET');
    expect(local(CROSSING)).toBe('28/03/2027, 01:00:00 EEST');

    // The plan's intervals, as the hub's compiler would make them (the schedules engine, evaluated in the zone).
    const schedule = parseSchedule({
      version: 1,
      zone: ZONE,
      blocks: [
        {
          id: 'late',
          rule: { rrule: 'DTSTART:20270327T230000\nRRULE:FREQ=DAILY' },
          end: '00:00',
          programme: 'p-late',
          volume: 70,
        },
        {
          id: 'early',
          rule: { rrule: 'DTSTART:20270328T000000\nRRULE:FREQ=DAILY' },
          duration: 'PT2H',
          programme: 'p-early',
          volume: 70,
        },
      ],
    });
    const intervals = expand(schedule, CROSSING - 3_600_000, CROSSING + 3_600_000);
    const late = intervals.find((i) => i.blockId === 'late' && i.startMs < CROSSING);
    const early = intervals.find((i) => i.blockId === 'early' && i.startMs >= CROSSING);
    expect(late?.endMs).toBe(CROSSING);
    expect(early?.startMs).toBe(CROSSING);

    // An enrolled appliance (hub unreachable) with both tracks encrypted for it in its cache.
    const dataDir = join(dir, 'device');
    const appliance = await offlineAppliance(dataDir, APPLIANCE_ID, 5);
    const files = {
      'track-late': makeMp3(dir, 'late', SIGNALS.pinkNoise(6, 3)),
      'track-early': makeMp3(dir, 'early', SIGNALS.chirpUp(6)),
    };
    const hashes = await encryptIntoCache(appliance, files);

    const plan = onePlanBlock(CROSSING - 3_600_000, CROSSING, [], 6_000);
    plan.timeZone = ZONE;
    plan.intervals = intervals.map((i): PlanIntervalDoc => ({
      start: new Date(i.startMs).toISOString(),
      end: new Date(i.endMs).toISOString(),
      programmeId: i.programme,
      volume: i.volume,
      startMode: 'hard',
      maxLatenessSeconds: null,
      blockId: i.blockId,
      rule: i.rule,
      ruleKind: i.ruleKind,
      occurrence: i.occurrence,
      priority: i.priority,
      source: 'scheduled',
    }));
    plan.programmes = (['late', 'early'] as const).map((name) => ({
      id: `p-${name}`,
      name,
      version: 1,
      order: 'ordered' as const,
      repeatWindowMinutes: 0,
      artistSeparationMinutes: 0,
      crossfadeMs: 0,
      trackIds: [`track-${name}`],
    }));
    plan.tracks = Object.keys(files).map((id) => ({ ...trackDoc(id, 6_000), sha256: hashes.get(id) as string }));
    // Format 2 as the hub serves it: the signed envelope in the state file, its bodies beside it.
    storeSignedPlan(appliance, plan);

    // The appliance's wall clock starts 20 s before the crossing.
    const offset = CROSSING - 20_000 - Date.now();
    const realCrossing = CROSSING - offset;
    const mark = pulse.mark();
    const perfToWall = perfToWallMs();
    app = startAppliance(dataDir, pulse, { ROOMTONE_TEST_CLOCK_OFFSET_MS: String(offset) });
    const running = app;
    await until(
      () => readStatus(dataDir)?.nowPlaying?.blockId === 'late',
      20_000,
      `the late block playing (stderr: ${running.out.stderr.slice(-1500)})`,
    );
    expect(readStatus(dataDir)?.clock).toMatchObject({ trusted: true });
    await until(
      () => readStatus(dataDir)?.nowPlaying?.blockId === 'early',
      realCrossing + 15_000 - Date.now(),
      'the early block playing',
    );
    await pulse.captureFor(3_000);
    expect(await stopAppliance(running)).toBe(0);
    app = undefined;

    // Heard: the early block's track starts at the crossing (the late one before it, up to the boundary).
    const captured = leftChannel(pulse.captured(mark));
    const crossIdx = sampleAtWall(pulse, mark, realCrossing, perfToWall);
    const early0 = leftChannel(referenceDecode(files['track-early']));
    const pattern = early0.subarray(Math.round(0.2 * RATE), Math.round(0.45 * RATE));
    const found = align(captured, pattern, crossIdx - RATE / 4, crossIdx + (SWITCH_LATE_MS / 1000) * RATE + 0.2 * RATE);
    const switchMs = ((found.offset - Math.round(0.2 * RATE) - crossIdx) / RATE) * 1000;
    const beforeLevel = Math.max(...captured.subarray(crossIdx - 2 * RATE, crossIdx - RATE / 2).map(Math.abs));
    console.log(
      `DST + day boundary: early block heard ${switchMs.toFixed(0)} ms after the crossing (correlation ${found.correlation.toFixed(4)}); late block peak before ${beforeLevel.toFixed(3)}`,
    );
    expect(found.correlation).toBeGreaterThan(0.98);
    expect(switchMs).toBeGreaterThanOrEqual(-250);
    expect(switchMs).toBeLessThanOrEqual(SWITCH_LATE_MS);
    expect(beforeLevel).toBeGreaterThan(0.01);

    // The play log, by the appliance's (moved) clock: late plays before the crossing, the early one from it.
    const log = new SqlitePlayLog(join(dataDir, PLAY_LOG_FILE));
    try {
      const plays = log.pending(100);
      const lateOnes = plays.filter((p) => p.blockId === 'late');
      const earlyOnes = plays.filter((p) => p.blockId === 'early');
      expect(lateOnes.length).toBeGreaterThanOrEqual(1);
      expect(earlyOnes.length).toBeGreaterThanOrEqual(1);
      for (const p of lateOnes) expect(Date.parse(p.startedAt)).toBeLessThan(CROSSING);
      expect(lateOnes.at(-1)?.ended).toBe('stopped');
      expect(Math.abs(Date.parse(earlyOnes[0].startedAt) - CROSSING)).toBeLessThan(1_000);
      expect(plays.map((p) => p.sequence)).toEqual(plays.map((_, i) => i + 1));
    } finally {
      log.close();
    }
  });
});
