// Child process for the playback benchmark: plays one MP3 file through the appliance's sound path (file chunks ->
// decodeMp3 -> Player -> PulseAudioOutput) and exits when it has been played out.
// usage: node bench/run.js bench/appliance/play-file.ts <file.mp3> <socket path> <sink> [volume]
import { createReadStream } from 'node:fs';
import { Player, PulseAudioOutput, decodeMp3 } from '../../appliance/src/audio';

async function main(): Promise<void> {
  const [file, socketPath, sink, volume = '100'] = process.argv.slice(2);
  if (!file || !socketPath || !sink) {
    process.stderr.write('usage: play-file.ts <file.mp3> <socket path> <sink> [volume]\n');
    process.exit(2);
  }
  const output = new PulseAudioOutput({ socketPath, sink });
  const player = new Player({ output, volume: Number(volume) });
  const idle = new Promise<void>((resolve) => player.once('idle', resolve));
  player.enqueue({
    trackId: file,
    open: () => decodeMp3(createReadStream(file, { highWaterMark: 16 * 1024 }) as AsyncIterable<Uint8Array>),
  });
  // Start decoding while connecting: open() and the first write share one connection attempt, so the decoder's
  // WASM compile overlaps the PulseAudio handshake; open() still fails fast on a wrong socket or sink.
  player.start();
  await output.open();
  await idle;
  await player.stop();
  await output.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`play-file: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
