import { AudioError } from './errors';

/** What ingest measured for a track (EBU R128): integrated loudness and true peak. */
export interface TrackLoudness {
  /** Integrated loudness, LUFS. */
  integratedLufs: number;
  /** True peak, dBTP. */
  truePeakDbtp: number;
}

/** Loudness policy: the level every track is brought to, and the true-peak ceiling no gain may push it over. */
export interface LoudnessPolicy {
  targetLufs: number;
  ceilingDbtp: number;
}

/** -16 LUFS suits background music on small speakers; -1 dBTP leaves room for the inter-sample peaks of lossy codecs. */
export const DEFAULT_LOUDNESS_POLICY: LoudnessPolicy = { targetLufs: -16, ceilingDbtp: -1 };

/**
 * The static gain (dB) for a track: what brings it to the target loudness, capped so its true peak stays at or below
 * the ceiling. A static gain from ebur128 alone can clip (FIELD-NOTES saw +1.9 dBFS), hence the cap; a quiet track
 * with high peaks therefore ends up below target rather than distorted. Unknown loudness means no correction.
 */
export function trackGainDb(
  loudness: TrackLoudness | undefined,
  policy: LoudnessPolicy = DEFAULT_LOUDNESS_POLICY,
): number {
  if (!loudness) return 0;
  const { integratedLufs, truePeakDbtp } = loudness;
  if (!Number.isFinite(integratedLufs) || !Number.isFinite(truePeakDbtp)) {
    throw new AudioError(
      'INVALID_ARGUMENT',
      `track loudness must be finite numbers (got ${integratedLufs} LUFS, ${truePeakDbtp} dBTP)`,
    );
  }
  const toTarget = policy.targetLufs - integratedLufs;
  const headroom = policy.ceilingDbtp - truePeakDbtp;
  return Math.min(toTarget, headroom);
}

/**
 * Linear amplitude for a block volume 0-100. The curve is cubic, like PulseAudio's own volume scale (50 = -18.06 dB),
 * so an installer's "50" means the same thing here as in pavucontrol; 0 is true silence.
 */
export function volumeToGain(volume: number): number {
  if (!Number.isFinite(volume) || volume < 0 || volume > 100) {
    throw new AudioError('INVALID_ARGUMENT', `volume must be between 0 and 100 (got ${volume})`);
  }
  const v = volume / 100;
  return v * v * v;
}
