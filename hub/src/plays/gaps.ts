/** A closed range of missing sequence numbers. */
export interface SequenceRange {
  from: number;
  to: number;
}

export interface SequenceState {
  storedThrough: number;
  maxSequence: number;
  gaps: SequenceRange[];
}

/**
 * The appliance's sequence state after `inserted` (newly stored sequence numbers) joins `before`: holes inside
 * known gaps shrink or split, sequences past the highest stored one open new gaps for what they skipped, and
 * `storedThrough` is the sequence just before the first gap (or the highest stored when there is none).
 */
export function advanceSequences(before: SequenceState, inserted: readonly number[]): SequenceState {
  if (inserted.length === 0) return before;
  const sorted = [...inserted].sort((a, b) => a - b);
  const gaps: SequenceRange[] = [];
  let i = 0;
  for (const gap of before.gaps) {
    while (i < sorted.length && sorted[i] < gap.from) i += 1;
    let from = gap.from;
    while (i < sorted.length && sorted[i] <= gap.to) {
      if (sorted[i] > from) gaps.push({ from, to: sorted[i] - 1 });
      from = sorted[i] + 1;
      i += 1;
    }
    if (from <= gap.to) gaps.push({ from, to: gap.to });
  }
  let max = before.maxSequence;
  for (const sequence of sorted) {
    if (sequence <= max) continue;
    if (sequence > max + 1) gaps.push({ from: max + 1, to: sequence - 1 });
    max = sequence;
  }
  return { storedThrough: gaps.length > 0 ? gaps[0].from - 1 : max, maxSequence: max, gaps };
}
