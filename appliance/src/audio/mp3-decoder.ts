import { MPEGDecoder } from 'mpg123-decoder';
import { AudioError } from './errors';
import { type PcmBlock } from './format';
import { StreamResampler } from './resample';

/** Input is fed to the decoder in chunks of this size (FIELD-NOTES: any boundary works; 16 KB keeps memory flat). */
export const DECODE_CHUNK_BYTES = 16 * 1024;

/**
 * Decodes an MP3 byte stream to 44.1 kHz stereo blocks as the bytes arrive. The input is an async iterable so
 * decrypted chunks can be fed straight from memory: nothing here touches the disk. Gapless metadata (LAME
 * delay/padding) is honoured, so consecutive tracks join sample-exactly. Sources at other rates or in mono (previews)
 * are resampled and upmixed. Fails with DECODE_FAILED when the input held no decodable audio.
 */
export async function* decodeMp3(input: AsyncIterable<Uint8Array>): AsyncGenerator<PcmBlock> {
  const decoder = new MPEGDecoder({ enableGapless: true });
  await decoder.ready;
  let resampler: StreamResampler | undefined;
  let rate = 0;
  let inputBytes = 0;
  let decodedFrames = 0;
  let firstError: string | undefined;
  try {
    for await (const chunk of rechunk(input, DECODE_CHUNK_BYTES)) {
      inputBytes += chunk.length;
      const result = decoder.decode(chunk);
      if (result.errors.length > 0 && firstError === undefined) firstError = result.errors[0].message;
      if (result.samplesDecoded === 0) continue;
      if (result.sampleRate !== rate || !resampler) {
        rate = result.sampleRate;
        resampler = new StreamResampler(rate);
      }
      const channels = result.channelData.map((c) => c.subarray(0, result.samplesDecoded));
      const block = resampler.push(channels);
      decodedFrames += block.left.length;
      if (block.left.length > 0) yield block;
    }
    const tail = resampler?.flush();
    if (tail && tail.left.length > 0) {
      decodedFrames += tail.left.length;
      yield tail;
    }
  } finally {
    decoder.free();
  }
  if (decodedFrames === 0) {
    throw new AudioError(
      'DECODE_FAILED',
      `no audio could be decoded from ${inputBytes} bytes${firstError ? ` (${firstError})` : ''}: the file is not MP3 or is corrupt; fetch it again`,
    );
  }
}

/** Regroups an async stream of byte chunks into chunks of exactly `size` bytes (the last may be shorter). */
export async function* rechunk(input: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of input) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(size - filled, chunk.length - offset);
      pending.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield pending;
        pending = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield pending.subarray(0, filled);
}
