import { cuePoints, parseDecodedSeconds, parseEbur128Summaries, parseSilences } from './ffmpeg-log';

const log = `[Parsed_ebur128_1 @ 0x55dfb6cda9c0] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
    Threshold:   0.0 LUFS

  True peak:
    Peak:       -inf dBFS
[silencedetect @ 0x55dfb6cabc00] silence_start: 0
[silencedetect @ 0x55dfb6cabc00] silence_end: 1.50002 | silence_duration: 1.50002
[silencedetect @ 0x55dfb6cabc00] silence_start: 9.5
[Parsed_ebur128_4 @ 0x55dfb6d39d80] Summary:

  Integrated loudness:
    I:         -15.9 LUFS
    Threshold: -25.9 LUFS

  Loudness range:
    LRA:         2.8 LU
    Threshold: -36.3 LUFS
    LRA low:   -18.2 LUFS
    LRA high:  -15.4 LUFS

  True peak:
    Peak:       -7.9 dBFS
[silencedetect @ 0x55dfb6cabc00] silence_end: 11.5 | silence_duration: 2
[Parsed_ebur128_1 @ 0x55dfb6cda9c0] Summary:

  Integrated loudness:
    I:         -12.8 LUFS
    Threshold: -22.9 LUFS

  Loudness range:
    LRA:         2.8 LU
    Threshold: -33.3 LUFS
    LRA low:   -15.2 LUFS
    LRA high:  -12.4 LUFS

  True peak:
    Peak:      -10.5 dBFS
`;

describe('ffmpeg log parsing', () => {
  test('ebur128: the last summary of each filter instance wins (ffmpeg prints an empty one for a torn-down graph)', () => {
    const summaries = parseEbur128Summaries(log);
    expect(summaries.get('Parsed_ebur128_1')).toEqual({ integratedLufs: -12.8, rangeLu: 2.8, truePeakDbtp: -10.5 });
    expect(summaries.get('Parsed_ebur128_4')).toEqual({ integratedLufs: -15.9, rangeLu: 2.8, truePeakDbtp: -7.9 });
  });

  test('silencedetect: spans paired in order, interleaved with other filters output', () => {
    expect(parseSilences(log)).toEqual([
      { start: 0, end: 1.50002 },
      { start: 9.5, end: 11.5 },
    ]);
  });

  test('progress: the last out_time_us, in seconds', () => {
    expect(parseDecodedSeconds('out_time_us=1000000\nprogress=continue\nout_time_us=13500000\nprogress=end\n')).toBe(
      13.5,
    );
  });
});

describe('cue points', () => {
  test('lead-in silence sets cue in; a silence running to the end sets cue out', () => {
    expect(
      cuePoints(
        [
          { start: 0, end: 1.5 },
          { start: 9.5, end: 11.5 },
        ],
        11.5,
      ),
    ).toEqual({ cueIn: 1.5, cueOut: 9.5 });
  });

  test('a silence still open at the end of the file (no silence_end) sets cue out', () => {
    expect(cuePoints([{ start: 200.25 }], 204)).toEqual({ cueIn: 0, cueOut: 200.25 });
  });

  test('a pause in the middle of the music moves neither cue', () => {
    expect(cuePoints([{ start: 60, end: 62 }], 180)).toEqual({ cueIn: 0, cueOut: 180 });
  });

  test('an entirely silent file keeps the whole file rather than an empty window', () => {
    expect(cuePoints([{ start: 0 }], 30)).toEqual({ cueIn: 0, cueOut: 30 });
  });
});
