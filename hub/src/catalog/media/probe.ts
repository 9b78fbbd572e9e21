import { open, stat } from 'node:fs/promises';
import { parseFile } from 'music-metadata';
import { MediaRejectedError } from './media-rejection';

/** The master formats the hub ingests. */
export type MasterFormat = 'mp3' | 'flac' | 'wav';

/** Tags read from a master; every field may be missing. */
export interface MasterTags {
  title?: string;
  artist?: string;
  album?: string;
  label?: string;
  year?: number;
  isrc?: string;
  genre?: string;
  mood?: string;
  bpm?: number;
}

/** What probing a master tells us before any decoding. */
export interface MasterInfo {
  format: MasterFormat;
  codec: string;
  durationSeconds: number;
  /** Bits per second (average for VBR). */
  bitrate: number;
  sampleRate: number;
  channels: number;
  sizeBytes: number;
  tags: MasterTags;
}

/** Lowest MP3 bitrate accepted as a master: below it the delivery rendition would be audibly worse than licensed. */
export const MIN_MP3_BITRATE = 128_000;

function first<T>(values: T[] | undefined): T | undefined {
  return values && values.length > 0 ? values[0] : undefined;
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function formatOf(container: string | undefined, codec: string | undefined): MasterFormat | undefined {
  if (container === 'MPEG' && codec?.endsWith('Layer 3')) return 'mp3';
  if (container === 'FLAC') return 'flac';
  if (container === 'WAVE' && (codec === 'PCM' || codec === 'IEEE_FLOAT')) return 'wav';
  return undefined;
}

/**
 * A WAV whose RIFF header promises more bytes than the file holds was cut off in transit. Decoders play what is there
 * without complaint, so this is the only reliable sign.
 */
async function assertWavComplete(file: string, sizeBytes: number): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(12);
    await handle.read(header, 0, 12, 0);
    const declared = header.readUInt32LE(4) + 8;
    if (declared > sizeBytes) {
      throw new MediaRejectedError(
        'TRUNCATED',
        `the WAV file is truncated: its header declares ${declared} bytes but only ${sizeBytes} arrived; upload the complete file again`,
      );
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads a master's format and tags with music-metadata and refuses what the hub does not ingest: empty files,
 * non-audio, formats other than MP3/FLAC/WAV, MP3 below 128 kbps, WAVs shorter than their header says. Decoding
 * problems (corrupt or truncated frames) are found later by `verifyDecodes`.
 */
export async function probeMaster(file: string): Promise<MasterInfo> {
  const { size } = await stat(file);
  if (size === 0)
    throw new MediaRejectedError('EMPTY_FILE', 'the uploaded file is empty (0 bytes); choose the audio file again');
  let metadata;
  try {
    metadata = await parseFile(file, { duration: true, skipCovers: true });
  } catch {
    throw new MediaRejectedError(
      'NOT_AUDIO',
      'the uploaded file is not audio the hub can read; upload an MP3, FLAC or WAV master',
    );
  }
  const { container, codec } = metadata.format;
  if (!container || !metadata.format.hasAudio) {
    throw new MediaRejectedError('NOT_AUDIO', 'the uploaded file is not audio; upload an MP3, FLAC or WAV master');
  }
  const format = formatOf(container, codec);
  if (!format) {
    throw new MediaRejectedError(
      'UNSUPPORTED_FORMAT',
      `${container}${codec ? `/${codec}` : ''} masters are not accepted; upload an MP3 (128 kbps or more), FLAC or WAV (PCM)`,
    );
  }
  const bitrate = Math.round(metadata.format.bitrate ?? 0);
  if (format === 'mp3' && bitrate < MIN_MP3_BITRATE) {
    throw new MediaRejectedError(
      'BITRATE_TOO_LOW',
      `the MP3 is ${Math.round(bitrate / 1000)} kbps; masters must be at least 128 kbps (better: FLAC or WAV)`,
    );
  }
  if (format === 'wav') await assertWavComplete(file, size);
  const durationSeconds = metadata.format.duration ?? 0;
  if (!(durationSeconds > 0))
    throw new MediaRejectedError('NO_AUDIO', 'the file contains no audio samples; upload a master with sound in it');
  const common = metadata.common;
  return {
    format,
    codec: codec ?? container,
    durationSeconds,
    bitrate,
    sampleRate: metadata.format.sampleRate ?? 0,
    channels: metadata.format.numberOfChannels ?? 0,
    sizeBytes: size,
    tags: {
      title: clean(common.title),
      artist: clean(common.artist),
      album: clean(common.album),
      label: clean(first(common.label)),
      year: common.year,
      isrc: clean(first(common.isrc)),
      genre: clean(first(common.genre)),
      mood: clean(common.mood),
      bpm: common.bpm !== undefined ? Math.round(common.bpm) : undefined,
    },
  };
}
