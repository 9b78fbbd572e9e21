import { copyFile, rename, rm } from 'node:fs/promises';
import type { MasterInfo } from './probe';
import type { MasterAnalysis } from './analysis';
import { runFfmpeg, type RunOptions } from './ffmpeg';

/** How previews are made: low quality, loud enough to judge, never clipping. */
export const PREVIEW = {
  bitrateKbps: 48,
  sampleRate: 22_050,
  targetLufs: -16,
  /** Highest true peak a preview may reach. */
  maxTruePeakDbtp: -1,
  /** Quiet masters are not lifted more than this: beyond it the noise floor would come up with them. */
  maxGainDb: 20,
} as const;

/** Delivery renditions are MP3 in this bitrate window; lossless masters are encoded at the top of it. */
export const DELIVERY = { minKbps: 192, maxKbps: 320 } as const;

/** What the rendition step decided and produced. */
export interface RenditionPlan {
  /** True when the master is already a suitable MP3 and is delivered byte for byte. */
  deliveryIsMaster: boolean;
  deliveryKbps: number;
  previewGainDb: number;
}

/**
 * Decides the delivery bitrate and the preview gain. The gain brings the mono fold-down to the target loudness; the
 * limiter in the preview chain (set 1 dB under the ceiling, since MP3 encoding adds a little overshoot) keeps the true
 * peak under -1 dBTP where the gain alone would push it over.
 */
export function planRenditions(master: MasterInfo, analysis: MasterAnalysis): RenditionPlan {
  const kbps = Math.round(master.bitrate / 1000);
  const deliveryIsMaster = master.format === 'mp3' && kbps >= DELIVERY.minKbps && kbps <= DELIVERY.maxKbps + 1;
  // Re-encoding a 128-191 kbps MP3 cannot restore what it lost; 192 kbps keeps the delivery contract without waste.
  const deliveryKbps = deliveryIsMaster ? kbps : master.format === 'mp3' ? DELIVERY.minKbps : DELIVERY.maxKbps;
  const measured = analysis.monoLoudness.integratedLufs;
  const gain = Number.isFinite(measured) ? Math.min(PREVIEW.targetLufs - measured, PREVIEW.maxGainDb) : 0;
  return { deliveryIsMaster, deliveryKbps, previewGainDb: Math.round(gain * 100) / 100 };
}

function deliverySampleRate(rate: number): string[] {
  if (rate === 44_100 || rate === 48_000) return [];
  return ['-ar', rate > 48_000 || rate % 8_000 === 0 ? '48000' : '44100'];
}

/** The ffmpeg filter chain of the preview: mono, gain, 22.05 kHz, limiter (no auto-level, which would undo the gain). */
export function previewFilter(gainDb: number): string {
  const limit = Math.pow(10, (PREVIEW.maxTruePeakDbtp - 1) / 20).toFixed(4);
  return `aformat=channel_layouts=mono,volume=${gainDb.toFixed(2)}dB,aresample=${PREVIEW.sampleRate},alimiter=limit=${limit}:level=disabled`;
}

/** The ffmpeg arguments that write the renditions (delivery only when it must be encoded). Exposed for the benchmark. */
export function renditionArgs(
  masterPath: string,
  plan: RenditionPlan,
  master: MasterInfo,
  deliveryTmp: string,
  previewTmp: string,
): string[] {
  const args = ['-y', '-nostats', '-progress', 'pipe:1', '-v', 'error', '-i', masterPath];
  if (!plan.deliveryIsMaster) {
    args.push(
      '-map',
      '0:a:0',
      '-c:a',
      'libmp3lame',
      '-b:a',
      `${plan.deliveryKbps}k`,
      ...deliverySampleRate(master.sampleRate),
    );
    args.push('-id3v2_version', '3', '-f', 'mp3', deliveryTmp);
  }
  args.push('-map', '0:a:0', '-map_metadata', '-1', '-af', previewFilter(plan.previewGainDb));
  args.push(
    '-ac',
    '1',
    '-ar',
    String(PREVIEW.sampleRate),
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${PREVIEW.bitrateKbps}k`,
    '-f',
    'mp3',
    previewTmp,
  );
  return args;
}

/**
 * Writes the delivery and preview renditions in one ffmpeg run (one decode, two encoders). Files appear under their
 * final names only when complete (written to `.part` files, then renamed), so a crash never leaves a half rendition
 * that looks finished.
 */
export async function writeRenditions(
  masterPath: string,
  master: MasterInfo,
  plan: RenditionPlan,
  target: { deliveryPath: string; previewPath: string },
  options: RunOptions = {},
): Promise<void> {
  const deliveryTmp = `${target.deliveryPath}.part`;
  const previewTmp = `${target.previewPath}.part`;
  try {
    await runFfmpeg(renditionArgs(masterPath, plan, master, deliveryTmp, previewTmp), options);
    if (plan.deliveryIsMaster) await copyFile(masterPath, deliveryTmp);
    await rename(deliveryTmp, target.deliveryPath);
    await rename(previewTmp, target.previewPath);
  } finally {
    await rm(deliveryTmp, { force: true });
    await rm(previewTmp, { force: true });
  }
}
