import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemblePlan, type PlanCatalogueBody, type PlanEnvelope, type PlanTimelineBody } from '@roomtone/provisioning';
import { trackGainDb, volumeToGain } from '../../../appliance/src/audio';
import { align, endOfAudio, fitGain, leftChannel, toDb } from '../../support/audio-analysis';
import { referenceDecode, requireAudioTools } from '../../support/audio-fixtures';
import { call } from '../../support/hub-http';
import { PulseHarness, raiseToAudioPriority, requirePulseTools } from '../../support/pulse';
import { requireTool } from '../../support/require-tool';
import {
  type ApplianceProcess,
  type HubContext,
  RATE,
  bootHub,
  deliveryFile,
  enrolAppliance,
  hubPlays,
  peak,
  perfToWallMs,
  publishBlock,
  readStatus,
  sampleAtWall,
  startAppliance,
  stopAppliance,
  stopHub,
  tracksTitled,
  until,
} from './support';

/*
 * Issue 6, "Tests", first bullet: a built hub (SQLite, demo seed), a programme of three demo tracks in order, a block
 * that starts ~25 s after publishing and lasts 80 s, an appliance enrolled with the built CLI and running as
 * `roomtone-appliance run` against a private PulseAudio whose capture sink keeps every sample. What was heard is
 * proven from the capture by cross-correlation against mpg123's decode of the delivery renditions.
 */

jest.setTimeout(240_000);

const VOLUME = 70;
const BLOCK_SECONDS = 80;
const MAX_GAP_FRAMES = 441; // 10 ms
/** Onset of the block's first track vs the block's start: the follower ticks every 250 ms, the first decode and the
 * PulseAudio buffer add their part; on this 2-core machine at load 15+ a stall of up to ~1 s was seen. */
const ONSET_EARLY_MS = 250;
const ONSET_LATE_MS = 1_500;
/** After the block ends: the 1 s fade, the 500 ms server buffer, a little scheduling slack. */
const TAIL_MS = 2_000;
const SILENT = 0.001;
/** Where in each reference the alignment pattern is taken (past the demo tracks' 0.5 s leading silence). */
const PATTERN_AT = RATE;
const PATTERN_LEN = Math.round(0.25 * RATE);

describe('appliance end to end: scheduled block -> real appliance process -> PulseAudio capture -> plays at the hub', () => {
  let pulse: PulseHarness;
  let ctx: HubContext;
  let work: string;
  let app: ApplianceProcess | undefined;

  beforeAll(async () => {
    requirePulseTools();
    requireAudioTools();
    requireTool('ffmpeg', 'ffmpeg', ['-version']);
    raiseToAudioPriority();
    work = mkdtempSync(join(tmpdir(), 'roomtone-e2e-appliance-'));
    pulse = new PulseHarness();
    await pulse.start();
    ctx = await bootHub();
  }, 120_000);

  afterAll(async () => {
    if (app) await stopAppliance(app);
    if (ctx) await stopHub(ctx);
    await pulse?.dispose();
    if (ctx) rmSync(ctx.dataDir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('plays the block in order, on time, at its volume, gapless, silent outside; the hub has each play once', async () => {
    const tracks = tracksTitled(ctx, ['Escalator Up', 'Morning Glass', 'Closing Time Glow']);
    const dataDir = join(work, 'device');
    const applianceId = await enrolAppliance(ctx, dataDir);

    // The demo seed's schedule plays 08:00-22:00 in the venue's zone: replace it by one whose only block is days
    // away, so the zone is silent now whatever the time of day the suite runs at.
    await publishBlock(
      ctx,
      tracks.map((t) => t.id),
      Math.ceil((Date.now() + 3 * 86_400_000) / 1000) * 1000,
      60,
      VOLUME,
      0,
    );

    // The appliance runs first and settles (that plan verified, its tracks prefetched; nothing of it plays now), so
    // its start-up on a loaded machine does not eat the block's lead.
    const mark = pulse.mark();
    const perfToWall = perfToWallMs();
    app = startAppliance(dataDir, pulse);
    const running = app;
    const diagnosis = () =>
      `exit ${running.child.exitCode}, status ${JSON.stringify(readStatus(dataDir))}, stderr: ${running.out.stderr.slice(-2000)}`;
    await until(
      () => {
        const status = readStatus(dataDir);
        const sync = status?.sync as { downloads?: unknown[]; lastPrefetch?: unknown } | undefined;
        return status?.running === true && !!status.plan?.id && !!sync?.lastPrefetch && sync.downloads?.length === 0;
      },
      90_000,
      () => `the appliance running with its first plan prefetched (${diagnosis()})`,
    );

    const blockStart = Math.ceil((Date.now() + 25_000) / 1000) * 1000;
    const blockEnd = blockStart + BLOCK_SECONDS * 1000;
    await publishBlock(
      ctx,
      tracks.map((t) => t.id),
      blockStart,
      BLOCK_SECONDS,
      VOLUME,
      1,
    );
    // Before the block: the appliance checked in, verified the hub's current plan (the one publish compiled, or the
    // worker's recompile of it when the new programme's invalidation is consumed after the publish) and cached all
    // three tracks.
    await until(
      async () => {
        const status = readStatus(dataDir);
        const hub = await call<{ plan: { planId: string; intervals: { blockId: string }[] } | null }>(
          ctx.base,
          'GET',
          `/zones/${ctx.zoneId}/plan`,
          ctx.manager,
        );
        const current = hub.body.plan;
        return (
          current !== null &&
          current.intervals.some((i) => i.blockId === 'e2e-block') &&
          status?.plan?.id === current.planId &&
          (status.cache?.tracks ?? 0) >= 3
        );
      },
      Math.max(5_000, blockStart - Date.now() - 2_000),
      () => `the plan and three cached tracks before the block (${diagnosis()})`,
    );
    expect(readStatus(dataDir)?.state).toBe('silent');

    // Capture until well after the block's end.
    const lastWall = () => {
      const last = pulse.chunks.at(-1);
      return last ? last.arrivedAtMs + perfToWall : 0;
    };
    await pulse.waitForCapture(() => lastWall() >= blockEnd + TAIL_MS + 1_500, blockEnd + 20_000 - Date.now());

    // The hub has every play the appliance logged (uploaded on the 5 s check-ins).
    await until(
      async () => {
        const status = readStatus(dataDir);
        if (!status?.playLog || status.playLog.pending !== 0 || status.playLog.lastSequence < 4) return false;
        return (await hubPlays(ctx, applianceId)).length === status.playLog.lastSequence;
      },
      30_000,
      'the play log drained to the hub',
    );
    expect(await stopAppliance(running)).toBe(0);
    app = undefined;

    // ---- What was heard ----
    const captured = leftChannel(pulse.captured(mark));
    const refs = tracks.map((t) => leftChannel(referenceDecode(deliveryFile(ctx, t.id))));
    const startIdx = sampleAtWall(pulse, mark, blockStart, perfToWall);
    const endIdx = sampleAtWall(pulse, mark, blockEnd, perfToWall);
    const order = [0, 1, 2, 0]; // ordered programme, looping; the fourth play is cut by the block's end
    const onsets: number[] = [];
    const correlations: number[] = [];
    order.forEach((k, i) => {
      const pattern = refs[k].subarray(PATTERN_AT, PATTERN_AT + PATTERN_LEN);
      const [from, to] =
        i === 0
          ? [startIdx - (ONSET_EARLY_MS / 1000) * RATE, startIdx + (ONSET_LATE_MS / 1000) * RATE]
          : [
              onsets[i - 1] + refs[order[i - 1]].length - MAX_GAP_FRAMES,
              onsets[i - 1] + refs[order[i - 1]].length + RATE / 4,
            ];
      const found = align(captured, pattern, Math.round(from) + PATTERN_AT, Math.round(to) + PATTERN_AT);
      onsets.push(found.offset - PATTERN_AT);
      correlations.push(found.correlation);
    });
    const gaps = order.slice(1).map((_, i) => onsets[i + 1] - (onsets[i] + refs[order[i]].length));

    // The plan the appliance holds: its signed envelope (format 2) and the bodies it fetched.
    const envelope = (
      JSON.parse(readFileSync(join(dataDir, 'sync-state.json'), 'utf8')) as { plan: { payload: PlanEnvelope } }
    ).plan.payload;
    const body = (sha256: string): unknown =>
      JSON.parse(readFileSync(join(dataDir, 'plan-bodies', `${sha256}.json`), 'utf8'));
    const plan = assemblePlan(
      envelope,
      body(envelope.timeline.sha256) as PlanTimelineBody,
      body(envelope.catalogue.sha256) as PlanCatalogueBody,
    );
    const expectedDb = tracks.map((t) => {
      const doc = plan.tracks.find((p) => p.id === t.id);
      const loudness =
        doc?.loudnessLufs !== null && doc?.loudnessLufs !== undefined
          ? { integratedLufs: doc.loudnessLufs, truePeakDbtp: doc.truePeakDbtp ?? 0 }
          : undefined;
      return toDb(volumeToGain(VOLUME)) + trackGainDb(loudness);
    });
    // Gain fitted over each complete track's music (skipping the first second: a start ramp, the leading silence).
    const fits = [0, 1, 2].map((i) => {
      const ref = refs[order[i]];
      const a = RATE;
      const b = ref.length - RATE;
      return fitGain(captured.subarray(onsets[i] + a, onsets[i] + b), ref.subarray(a, b), 0);
    });
    const onsetMs = ((onsets[0] - startIdx) / RATE) * 1000;
    console.log(
      `appliance e2e: onset ${onsetMs.toFixed(0)} ms after the block start; correlation ${correlations
        .map((c) => c.toFixed(4))
        .join(', ')}; gaps ${gaps.join(', ')} frames; gain ${fits.map((f) => toDb(f.gain).toFixed(2)).join(', ')} dB ` +
        `(expected ${expectedDb.map((d) => d.toFixed(2)).join(', ')}); residual ${fits.map((f) => f.residual.toFixed(4)).join(', ')}`,
    );

    // In order, each track identified by its own signature.
    for (const c of correlations) expect(c).toBeGreaterThan(0.98);
    // From the block start.
    expect(onsetMs).toBeGreaterThanOrEqual(-ONSET_EARLY_MS);
    expect(onsetMs).toBeLessThanOrEqual(ONSET_LATE_MS);
    // Gapless: at most 10 ms inserted between consecutive tracks, never overlapping.
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(MAX_GAP_FRAMES);
    }
    // At the scheduled volume x each track's loudness gain (0.5 dB), whole (no dropout: residual under 5%).
    fits.forEach((f, i) => {
      expect(Math.abs(toDb(f.gain) - expectedDb[i])).toBeLessThan(0.5);
      expect(f.residual).toBeLessThan(0.05);
    });
    // Silence before the block and after its end (fade and buffer allowed), music right up to the end.
    expect(peak(captured, 0, onsets[0] + Math.round(0.4 * RATE))).toBeLessThan(SILENT);
    expect(peak(captured, endIdx - Math.round(1.5 * RATE), endIdx - Math.round(0.5 * RATE))).toBeGreaterThan(0.01);
    const afterIdx = sampleAtWall(pulse, mark, blockEnd + TAIL_MS, perfToWall);
    expect(captured.length - afterIdx).toBeGreaterThan(RATE); // at least 1 s of capture after the tail
    expect(peak(captured, afterIdx, captured.length)).toBeLessThan(SILENT);

    // ---- What the hub recorded ----
    const plays = await hubPlays(ctx, applianceId);
    expect(plays.map((p) => p.sequence)).toEqual([1, 2, 3, 4]);
    expect(new Set(plays.map((p) => p.playId)).size).toBe(4);
    expect(plays.map((p) => p.trackId)).toEqual(order.map((k) => tracks[k].id));
    expect(plays.map((p) => p.ended)).toEqual(['completed', 'completed', 'completed', 'stopped']);
    for (const p of plays) expect(p).toMatchObject({ offline: false, blockId: 'e2e-block', flags: [] });
    // Seconds audible match what the capture shows, within 1 s: whole tracks, and the cut one up to the block end.
    [0, 1, 2].forEach((i) => expect(Math.abs(plays[i].secondsAudible - refs[order[i]].length / RATE)).toBeLessThan(1));
    const heardLast = (endOfAudio(captured, SILENT) - onsets[3]) / RATE;
    expect(Math.abs(plays[3].secondsAudible - heardLast)).toBeLessThan(1);
    // Start instants: each play starts where its track was heard (within 1 s).
    plays.forEach((p, i) => {
      const heardAt = blockStart + ((onsets[i] - startIdx) / RATE) * 1000;
      expect(Math.abs(Date.parse(p.startedAt) - heardAt)).toBeLessThan(1_000);
    });
  });
});
