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
 * Parses `test-tone` arguments: `[--sink <name>] [--seconds N] [--server <socket path>]`. Throws INVALID_ARGUMENT with
 * the usage on anything else.
 */
export function parseTestToneArgs(args: string[]): TestToneOptions {
  const usage = 'usage: roomtone-appliance test-tone [--sink <name>] [--seconds N] [--server <socket path>]';
  const options: TestToneOptions = { seconds: DEFAULT_TONE.seconds };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (flag !== '--sink' && flag !== '--seconds' && flag !== '--server') {
      throw new AudioError('INVALID_ARGUMENT', `unknown argument '${flag}'; ${usage}`);
    }
    if (value === undefined || value.startsWith('--')) {
      throw new AudioError('INVALID_ARGUMENT', `${flag} needs a value; ${usage}`);
    }
    i += 1;
    if (flag === '--sink') options.sink = value;
    else if (flag === '--server') options.server = value;
    else {
      const seconds = Number(value);
      if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0 && seconds <= 600)) {
        throw new AudioError(
          'INVALID_ARGUMENT',
          `--seconds must be a number of seconds between 0 and 600 (got '${value}')`,
        );
      }
      options.seconds = seconds;
    }
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
