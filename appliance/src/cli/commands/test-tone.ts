import { type CliCommand, UsageError } from '@roomtone/provisioning';
import { AudioError, parseTestToneOptions, runTestTone } from '../../audio';

/** `test-tone [--sink <name>] [--seconds N] [--server <socket path>]`: a tone so an installer hears the speakers. */
export const testToneCommand: CliCommand = {
  name: 'test-tone',
  summary: 'play a 1 kHz tone on the audio output to check the speakers',
  usage: [
    'usage: roomtone-appliance test-tone [--sink <name>] [--seconds N] [--server <socket path>]',
    '',
    'Plays 1 kHz at -12 dBFS (10 ms fades) for N seconds (default 3) on the PulseAudio sink <name> (default: the',
    "server's default sink). The server is found from --server, else PULSE_SERVER (unix:<path>), else",
    '$XDG_RUNTIME_DIR/pulse/native. Exits 2 with one line when the server or sink cannot be reached.',
  ].join('\n'),
  options: { sink: { type: 'string' }, seconds: { type: 'string' }, server: { type: 'string' } },
  async run(values, io) {
    try {
      io.stdout(await runTestTone(parseTestToneOptions(values)));
      return 0;
    } catch (error) {
      // Every audio failure here is something the installer fixes (option, server, sink): one line, exit 2.
      if (error instanceof AudioError) throw new UsageError(`${error.message} [${error.code}]`);
      throw error;
    }
  },
};
