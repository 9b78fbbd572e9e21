import {
  parseDecodedSeconds,
  parseEbur128Summaries,
  parseSilences,
  cuePoints,
  type LoudnessSummary,
} from './ffmpeg-log';
import { FfmpegFailedError, runFfmpeg, type RunOptions } from './ffmpeg';
import { MediaRejectedError } from './media-rejection';
import type { MasterInfo } from './probe';

/** Silence threshold and minimum length for cue points: below -50 dBFS for 0.3 s counts as silence. */
const SILENCE = 'silencedetect=n=-50dB:d=0.3';

/** What the analysis pass measured on a master. */
export interface MasterAnalysis {
  /** The master as delivered (all channels): stored on the track for playback gain. */
  loudness: LoudnessSummary;
  /** The master folded down to mono the way the preview is: the preview's gain is computed from this. */
  monoLoudness: LoudnessSummary;
  cueInSeconds: number;
  cueOutSeconds: number;
  decodedSeconds: number;
}

/** ffmpeg arguments of the upload check: decode everything, report errors and how much audio came out. */
export function verifyArgs(file: string): string[] {
  return ['-v', 'error', '-nostats', '-progress', 'pipe:1', '-i', file, '-map', '0:a:0', '-f', 'null', '-'];
}

/** ffmpeg arguments of the analysis pass (see analyseMaster). */
export function analysisArgs(file: string): string[] {
  const graph =
    `[0:a:0]asplit=2[a][b];[a]ebur128=peak=true,${SILENCE}[full];` +
    `[b]aformat=channel_layouts=mono,ebur128=peak=true[mono]`;
  return ['-nostats', '-progress', 'pipe:1', '-i', file, '-filter_complex', graph].concat([
    '-map',
    '[full]',
    '-f',
    'null',
    '-',
    '-map',
    '[mono]',
    '-f',
    'null',
    '-',
  ]);
}

/**
 * Decodes the whole master once (`-f null`) and refuses it when the decoder reports damage or when it ends well before
 * its header said it would: the checks an upload must pass before the hub accepts it.
 */
export async function verifyDecodes(
  file: string,
  master: Pick<MasterInfo, 'format' | 'durationSeconds' | 'bitrate' | 'sizeBytes'>,
  options: RunOptions = {},
): Promise<number> {
  let output;
  try {
    output = await runFfmpeg(verifyArgs(file), options);
  } catch (error) {
    if (error instanceof FfmpegFailedError) {
      throw new MediaRejectedError(
        'CORRUPT',
        `the audio cannot be decoded (${firstLine(error.stderr)}); export the master again and re-upload it`,
      );
    }
    throw error;
  }
  const expected = master.durationSeconds;
  const decoded = parseDecodedSeconds(output.stdout);
  const problem = firstLine(output.stderr);
  if (decoded < expected - Math.max(0.5, expected * 0.02)) {
    // An MP3's header gives its bitrate, so its expected size is known: all the bytes there but audio missing means
    // frames inside were damaged (the demuxer skips them), not that the upload was cut short.
    const expectedBytes = (expected * master.bitrate) / 8;
    if (master.format === 'mp3' && master.sizeBytes >= expectedBytes * 0.95) {
      throw new MediaRejectedError(
        'CORRUPT',
        `the audio data is damaged: only ${decoded.toFixed(1)} s of ${expected.toFixed(1)} s decode${problem ? ` (decoder said: ${problem})` : ''}; export the master again and re-upload it`,
      );
    }
    throw new MediaRejectedError(
      'TRUNCATED',
      `the file is truncated: it holds ${decoded.toFixed(1)} s of audio but declares ${expected.toFixed(1)} s; upload the complete file again`,
    );
  }
  if (problem) {
    throw new MediaRejectedError(
      'CORRUPT',
      `the audio data is damaged (decoder said: ${problem}); export the master again and re-upload it`,
    );
  }
  if (decoded <= 0) {
    throw new MediaRejectedError('NO_AUDIO', 'the file contains no decodable audio; upload a master with sound in it');
  }
  return decoded;
}

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')[0]
      ?.replace(/^\[[^\]]+\] /, '') ?? ''
  );
}

/**
 * One ffmpeg pass over the master: EBU R128 integrated loudness, range and true peak of the master and of its mono
 * fold-down, plus leading/trailing silence for the cue points. One decode feeds both meters (asplit).
 */
export async function analyseMaster(
  file: string,
  durationSeconds: number,
  options: RunOptions = {},
): Promise<MasterAnalysis> {
  const { stderr, stdout } = await runFfmpeg(analysisArgs(file), options);
  const summaries = parseEbur128Summaries(stderr);
  // Instance numbers follow the graph's order: asplit 0, ebur128 1, silencedetect 2, aformat 3, ebur128 4.
  const loudness = summaries.get('Parsed_ebur128_1');
  const monoLoudness = summaries.get('Parsed_ebur128_4');
  if (!loudness || !monoLoudness) throw new Error(`ffmpeg printed no loudness summary for ${file}`);
  const decodedSeconds = parseDecodedSeconds(stdout) || durationSeconds;
  const { cueIn, cueOut } = cuePoints(parseSilences(stderr), decodedSeconds);
  return { loudness, monoLoudness, cueInSeconds: cueIn, cueOutSeconds: cueOut, decodedSeconds };
}

/** EBU R128 loudness and true peak of any audio file as it is (used to check renditions). */
export async function measureLoudness(file: string, options: RunOptions = {}): Promise<LoudnessSummary> {
  const { stderr } = await runFfmpeg(
    ['-nostats', '-i', file, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    options,
  );
  const summary = parseEbur128Summaries(stderr).get('Parsed_ebur128_0');
  if (!summary) throw new Error(`ffmpeg printed no loudness summary for ${file}`);
  return summary;
}
