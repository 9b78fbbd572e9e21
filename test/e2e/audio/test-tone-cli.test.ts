import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { endOfAudio, firstAbove, leftChannel, toDb, windowLevelsDb } from '../../support/audio-analysis';
import { PulseHarness, raiseToAudioPriority, requirePulseTools } from '../../support/pulse';

const RATE = 44_100;
const CLI = join(__dirname, '../../../appliance/bin/roomtone-appliance.js');

/** Runs the built CLI (run `npm run build` first) and collects its exit code and output. */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('roomtone-appliance test-tone (built CLI, real PulseAudio)', () => {
  let pulse: PulseHarness;

  beforeAll(async () => {
    requirePulseTools();
    raiseToAudioPriority();
    pulse = new PulseHarness();
    await pulse.start();
  });

  afterAll(async () => {
    await pulse?.dispose();
  });

  it('plays 1 kHz at -12 dBFS for the requested seconds on the named sink', async () => {
    const mark = pulse.mark();
    const result = await runCli(
      ['test-tone', '--sink', pulse.captureSink, '--seconds', '1.5', '--server', pulse.socketPath],
      process.env,
    );
    await pulse.captureFor(300);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `played a 1000 Hz tone at -12 dBFS for 1.5 s on sink '${pulse.captureSink}' (${pulse.socketPath})\n`,
    );

    const captured = leftChannel(pulse.captured(mark));
    const start = firstAbove(captured, 0.0005);
    const end = endOfAudio(captured, 0.0005);
    // The 10 ms fades put the first and last audible samples a few samples inside the 1.5 s.
    expect(Math.abs(end - start - 1.5 * RATE)).toBeLessThan(40);
    // A sine peaking at -12 dBFS has an RMS of -15.05 dBFS; 10 ms windows hold 10 whole periods.
    const levels = windowLevelsDb(captured, 441, start + 441, end - 441);
    for (const level of levels) expect(level).toBeCloseTo(-12 + toDb(Math.SQRT1_2), 1);
    const peak = captured.subarray(start, end).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(toDb(peak)).toBeCloseTo(-12, 1);
  });

  it('finds the server from PULSE_SERVER when --server is not given', async () => {
    const result = await runCli(['test-tone', '--seconds', '0.2', '--sink', pulse.venueSink], pulse.clientEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`on sink '${pulse.venueSink}' (${pulse.socketPath})`);
  });

  it('bad --seconds: exit 2, one line saying what is expected', async () => {
    const result = await runCli(['test-tone', '--seconds', 'ten', '--server', pulse.socketPath], process.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "roomtone-appliance test-tone: --seconds must be a number of seconds above 0 and at most 600 (got 'ten') [INVALID_ARGUMENT]\n",
    );
  });

  it('unknown sink: exit 2, one line naming the sinks that exist', async () => {
    const result = await runCli(['test-tone', '--sink', 'lobby', '--server', pulse.socketPath], process.env);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toContain("PulseAudio has no sink named 'lobby'");
    expect(result.stderr).toContain(`${pulse.venueSink}, ${pulse.captureSink}`);
    expect(result.stderr).toContain('[SINK_NOT_FOUND]');
  });

  it('no server at the socket: exit 2, one line saying to check the sound server', async () => {
    const socket = join(pulse.dir, 'nowhere');
    const result = await runCli(['test-tone', '--server', socket], process.env);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toContain(`cannot play through PulseAudio at ${socket}`);
    expect(result.stderr).toContain('[OUTPUT_UNREACHABLE]');
  });
});
