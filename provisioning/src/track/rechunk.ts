const EMPTY = Buffer.alloc(0);

/**
 * Cuts a byte stream into pieces of the sizes `nextSize` asks for, in constant memory (one piece at a time).
 * `nextSize` returns null when no more pieces are wanted; any byte after that is reported once as `{ extra: true }`.
 * At end of input a shorter last piece is yielded as-is so the caller can name the truncation.
 */
export async function* rechunk(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  nextSize: () => number | null,
): AsyncGenerator<{ bytes: Buffer; complete: boolean } | { extra: true }> {
  let want = nextSize();
  while (want === 0) {
    yield { bytes: EMPTY, complete: true };
    want = nextSize();
  }
  let piece: Buffer | null = null;
  let filled = 0;
  for await (const input of source) {
    let data = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
    while (data.length > 0) {
      if (want === null) {
        yield { extra: true };
        return;
      }
      if (filled === 0 && data.length >= want) {
        // Whole piece available in the input: hand out a view, no copy.
        const bytes = data.subarray(0, want);
        data = data.subarray(want);
        yield { bytes, complete: true };
        want = nextSize();
        while (want === 0) {
          yield { bytes: EMPTY, complete: true };
          want = nextSize();
        }
        continue;
      }
      piece ??= Buffer.allocUnsafe(want);
      const take = Math.min(want - filled, data.length);
      data.copy(piece, filled, 0, take);
      filled += take;
      data = data.subarray(take);
      if (filled === want) {
        const bytes = piece;
        piece = null;
        filled = 0;
        yield { bytes, complete: true };
        want = nextSize();
        while (want === 0) {
          yield { bytes: EMPTY, complete: true };
          want = nextSize();
        }
      }
    }
  }
  if (want !== null) yield { bytes: piece ? piece.subarray(0, filled) : Buffer.alloc(0), complete: false };
}
