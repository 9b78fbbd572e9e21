import { advanceSequences, type SequenceState } from './gaps';

const empty: SequenceState = { storedThrough: 0, maxSequence: 0, gaps: [] };

describe('advanceSequences (storedThrough and gaps)', () => {
  it('contiguous plays from 1 leave no gap', () => {
    expect(advanceSequences(empty, [3, 1, 2])).toEqual({ storedThrough: 3, maxSequence: 3, gaps: [] });
  });

  it('skipped sequences open gaps; storedThrough stops before the first', () => {
    expect(advanceSequences(empty, [2, 5, 6, 9])).toEqual({
      storedThrough: 0,
      maxSequence: 9,
      gaps: [
        { from: 1, to: 1 },
        { from: 3, to: 4 },
        { from: 7, to: 8 },
      ],
    });
  });

  it('late plays shrink, split and close gaps', () => {
    const before: SequenceState = {
      storedThrough: 3,
      maxSequence: 20,
      gaps: [
        { from: 4, to: 10 },
        { from: 15, to: 15 },
      ],
    };
    expect(advanceSequences(before, [4, 7])).toEqual({
      storedThrough: 4,
      maxSequence: 20,
      gaps: [
        { from: 5, to: 6 },
        { from: 8, to: 10 },
        { from: 15, to: 15 },
      ],
    });
    expect(advanceSequences(before, [4, 5, 6, 7, 8, 9, 10, 15, 21])).toEqual({
      storedThrough: 21,
      maxSequence: 21,
      gaps: [],
    });
    expect(advanceSequences(before, [10, 23])).toEqual({
      storedThrough: 3,
      maxSequence: 23,
      gaps: [
        { from: 4, to: 9 },
        { from: 15, to: 15 },
        { from: 21, to: 22 },
      ],
    });
  });

  it('nothing inserted changes nothing (the same object: no writes)', () => {
    expect(advanceSequences(empty, [])).toBe(empty);
  });
});
