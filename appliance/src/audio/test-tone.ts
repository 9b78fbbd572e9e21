import { AudioError } from './errors';
import { toS16le } from './format';
import { type AudioOutput } from './output';
import { PulseAudioOutput } from './pulse-output';
import { resolvePulseSocket } from './pulse-socket';
import { DEFAULT_TONE, type ToneSpec, generateTone } from './tone';

/** Options of `roomtone-appliance test-tone`. */
export interface TestToneOptions {
  sink?: string;
  seconds: number;
  server?: string;
}

/**
 * Validates `test-tone` option values (as node:util parseArgs gives them): `--sink <name>`, `--seconds N` (0-600),
 * `--server <socket path>`. Throws INVALID_ARGUMENT saying what is wrong.
 */
export function parseTestToneOptions(values: Record<string, string | boolean | undefined>): TestToneOptions {
  const options: TestToneOptions = { seconds: DEFAULT_TONE.seconds };
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      throw new AudioError('INVALID_ARGUMENT', `--${name} needs a value`);
    }
    return value;
  };
  const sink = text('sink');
  const server = text('server');
  const seconds = text('seconds');
  if (sink !== undefined) options.sink = sink;
  if (server !== undefined) options.server = server;
  if (seconds !== undefined) {
    const value = Number(seconds);
    if (!/^\d+(\.\d+)?$/.test(seconds) || !(value > 0 && value <= 600)) {
      throw new AudioError(
        'INVALID_ARGUMENT',
        `--seconds must be a number of seconds above 0 and at most 600 (got '${seconds}')`,
      );
    }
    options.seconds = value;
  }
  return options;
}

/** Plays a tone to an output and waits until it has been heard. */
export async function playTone(output: AudioOutput, spec: ToneSpec = DEFAULT_TONE): Promise<void> {
  for (const block of generateTone(spec)) await output.write(toS16le(block));
}

/**
 * `test-tone`: plays 1 kHz at -12 dBFS on the configured output so an installer hears that the speakers work. Resolves
 * with a line to print; rejects with an AudioError (OUTPUT_UNREACHABLE, SINK_NOT_FOUND) saying what to fix.
 */
export async function runTestTone(options: TestToneOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const socketPath = resolvePulseSocket(options.server, env);
  const output = new PulseAudioOutput({ socketPath, ...(options.sink ? { sink: options.sink } : {}) });
  await output.open();
  try {
    await playTone(output, { ...DEFAULT_TONE, seconds: options.seconds });
  } finally {
    await output.close();
  }
  const where = options.sink ? `sink '${options.sink}'` : 'the default sink';
  return `played a ${DEFAULT_TONE.frequencyHz} Hz tone at ${DEFAULT_TONE.levelDbfs} dBFS for ${options.seconds} s on ${where} (${socketPath})`;
}
