import { type PcmBlock, frames, silence } from './format';

/**
 * Mixes the end of one track into the start of the next with equal-power curves (cos/sin), so the perceived level
 * stays constant through the fade; a linear crossfade dips by 3 dB in the middle. The result is as long as `outgoing`;
 * a shorter `incoming` is treated as followed by silence.
 */
export function crossfade(outgoing: PcmBlock, incoming: PcmBlock): PcmBlock {
  const n = frames(outgoing);
  const out = silence(n);
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0.5 : i / (n - 1);
    const fadeOut = Math.cos((t * Math.PI) / 2);
    const fadeIn = Math.sin((t * Math.PI) / 2);
    const inLeft = i < incoming.left.length ? incoming.left[i] : 0;
    const inRight = i < incoming.right.length ? incoming.right[i] : 0;
    out.left[i] = outgoing.left[i] * fadeOut + inLeft * fadeIn;
    out.right[i] = outgoing.right[i] * fadeOut + inRight * fadeIn;
  }
  return out;
}
