import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, SdNotifier, type StatusDoc } from '../../../appliance/src/daemon';
import { SIGNALS, makeMp3, requireAudioTools } from '../../support/audio-fixtures';
import { pulseSuite } from '../../support/pulse';
import { requireTool } from '../../support/require-tool';
import {
  DirectoryCache,
  FixedHubLink,
  killNotifyListeners,
  MemoryPlayLog,
  notifyListener,
  onePlanBlock,
  until,
  windowPeaks,
} from './support';

const RATE = 44_100;

/** Windows (of 250 ms) whose start lies in [fromS, toS). */
const windowsIn = (peaks: number[], fromS: number, toS: number) =>
  peaks.slice(Math.ceil(fromS * 4), Math.floor(toS * 4));

afterEach(killNotifyListeners);

describe('appliance daemon plays its plan through a real PulseAudio (captured at the sink)', () => {
  const { pulse, dir } = pulseSuite('roomtone-daemon-', () => {
    requireAudioTools();
    requireTool('systemd-notify', 'systemd', ['--version']);
  });

  it('silent before the block, music during it, silent after it; plays logged; status.json and sd_notify READY/WATCHDOG', async () => {
    const cacheDir = join(dir, 'cache');
    const dataDir = join(dir, 'data');
    const ids = ['track-a', 'track-b', 'track-c'];
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    makeMp3(cacheDir, 'track-a', SIGNALS.pinkNoise(5, 1));
    makeMp3(cacheDir, 'track-b', SIGNALS.sine(5, 440, 0.5));
    makeMp3(cacheDir, 'track-c', SIGNALS.pinkNoise(5, 2));

    const socket = join(dir, 'notify.sock');
    const listener = notifyListener(socket);
    await until(() => listener.messages.includes('bound'), 10_000, 'the notify listener');

    const mark = pulse.mark();
    const t0 = Date.now();
    const blockStart = t0 + 4_000;
    const blockEnd = t0 + 11_000;
    const plan = onePlanBlock(blockStart, blockEnd, ids, 5_000);
    const log = new MemoryPlayLog();
    const daemon = new Daemon({
      config: { dataDir, keystorePath: join(dir, 'keystore.json'), sink: pulse.captureSink, server: pulse.socketPath },
      parts: { hub: new FixedHubLink(plan), cache: new DirectoryCache(cacheDir, ids), log },
      notifier: new SdNotifier({ ...process.env, NOTIFY_SOCKET: socket, WATCHDOG_USEC: '2000000' }),
    });
    try {
      await daemon.start();
      const statusFile = join(dataDir, 'status.json');
      const readDoc = () => JSON.parse(readFileSync(statusFile, 'utf8')) as StatusDoc;
      expect(existsSync(statusFile)).toBe(true);
      await until(() => readDoc().nowPlaying !== null, 15_000, 'status.json to show the track playing');
      const playing = readDoc();
      expect(playing.nowPlaying).toMatchObject({
        trackId: 'track-a',
        programmeId: 'prog-1',
        blockId: 'block-1',
        quality: 'full',
      });
      expect(playing.offlineSafeUntil).not.toBeNull();
      await pulse.waitForCapture(() => pulse.captured(mark).length >= 2 * RATE * 15.5, 30_000);
      const after = readDoc();
      expect(after.state).toBe('silent');
      expect(after.reason).toMatch(/outside the plan's blocks/);
    } finally {
      await daemon.stop();
      listener.child.kill();
    }

    const peaks = windowPeaks(pulse.captured(mark));
    // Before the block (t0 + 0.5 .. 3.5 s): digital silence.
    expect(Math.max(...windowsIn(peaks, 0.5, 3.5))).toBeLessThan(0.001);
    // Music starts at the block's start (t0 + 4 s) plus at most a tick (250 ms), the first decode and the 500 ms
    // server buffer; the capture's own timeline is good to a window or two.
    const onset = peaks.findIndex((p) => p > 0.01) / 4;
    expect(onset).toBeGreaterThanOrEqual(3.75);
    // Within 1.5 s of the block's start at load 15+ (tick, first decode, 500 ms buffer, a stall).
    expect(onset).toBeLessThanOrEqual(5.5);
    // Music through the block: at least 75% of its 250 ms windows. Not all: on this shared 2-core machine at load
    // 10-20 the player (in the Jest worker here) can stall past its 500 ms buffer and underrun (measured: 0-3 of
    // 20-24 windows silent, 3 of 20 at load 18.6; appliance/src/audio/README.md "Known limits"). Gaplessness itself
    // is test/e2e/audio's subject; this test is about when music plays and when it does not.
    const inBlock = windowsIn(peaks, onset + 0.5, 10.5);
    expect(inBlock.length).toBeGreaterThanOrEqual(16);
    expect(inBlock.filter((p) => p > 0.01).length).toBeGreaterThanOrEqual(Math.floor(inBlock.length * 0.75));
    // Then silence to the end of the capture.
    const lastAudible = (peaks.length - 1 - [...peaks].reverse().findIndex((p) => p >= 0.001)) / 4;
    // The music ends at the block's end (t0 + 11 s) plus the 500 ms buffer and the 1 s fade (+ stalls at load 20), not before.
    expect(lastAudible).toBeGreaterThanOrEqual(10.75);
    expect(lastAudible).toBeLessThanOrEqual(14);
    const after = windowsIn(peaks, lastAudible + 0.25, 15.5);
    expect(after.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...after)).toBeLessThan(0.001);

    // The play log: a at the block's start, b right after it, b stopped at the block's end.
    expect(log.plays.map((p) => p.play.trackId)).toEqual(['track-a', 'track-b']);
    expect(log.plays[0].play).toMatchObject({
      planId: 'plan-it-1',
      blockId: 'block-1',
      source: 'scheduled',
      quality: 'full',
      offline: false,
    });
    expect(Math.abs(Date.parse(String(log.plays[0].play.startedAt)) - blockStart)).toBeLessThan(1_000);
    expect(log.plays[0]).toMatchObject({ ended: 'completed' });
    expect(log.plays[0].secondsAudible).toBeCloseTo(5, 1);
    // b plays from ~5 s into the block until its end at 7 s, then fades out over 1 s: stopped, not completed.
    expect(log.plays[1]).toMatchObject({ ended: 'stopped' });
    expect(log.plays[1].secondsAudible).toBeGreaterThan(1.5);
    expect(log.plays[1].secondsAudible).toBeLessThan(4.5);

    // systemd saw READY=1 at start and watchdog pings (WatchdogSec=2 s here: every second) while it ran.
    // systemd-notify follows each message with BARRIER=1 (it waits until the manager has read it).
    const notes = listener.messages.filter((m) => m !== 'bound' && m !== 'BARRIER=1');
    expect(listener.messages).toContain('BARRIER=1');
    expect(notes[0]).toMatch(/^READY=1\nSTATUS=/);
    expect(notes.filter((m) => m.includes('WATCHDOG=1')).length).toBeGreaterThanOrEqual(5);
    expect(notes.at(-1)).toBe('STOPPING=1');
    const final = JSON.parse(readFileSync(join(dataDir, 'status.json'), 'utf8')) as StatusDoc;
    expect(final.running).toBe(false);
  });
});
