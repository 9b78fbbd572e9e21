/** Loudness figures from one ebur128 filter's summary. */
export interface LoudnessSummary {
  /** Integrated loudness, LUFS; -Infinity for silence. */
  integratedLufs: number;
  /** Loudness range, LU. */
  rangeLu: number;
  /** True peak, dBTP (only with `ebur128=peak=true`); -Infinity for silence. */
  truePeakDbtp: number;
}

/** A stretch of silence silencedetect reported; `end` is missing when the silence lasted to the end of the file. */
export interface SilenceSpan {
  start: number;
  end?: number;
}

function parseNumber(text: string): number {
  if (text === '-inf') return -Infinity;
  if (text === 'inf') return Infinity;
  return Number(text);
}

/**
 * Reads every ebur128 summary in an ffmpeg log, keyed by filter instance (`Parsed_ebur128_1`...). ffmpeg may print an
 * empty summary first for an instance it tore down while configuring the graph, so the last summary of each wins.
 */
export function parseEbur128Summaries(log: string): Map<string, LoudnessSummary> {
  const result = new Map<string, LoudnessSummary>();
  const pattern = /\[(Parsed_ebur128_\d+) @ [^\]]+\] Summary:([\s\S]*?)(?=\n\[|$)/g;
  for (const match of log.matchAll(pattern)) {
    const body = match[2];
    const integrated = /Integrated loudness:\s*\n\s*I:\s*(-?inf|-?[\d.]+) LUFS/.exec(body);
    const range = /Loudness range:\s*\n\s*LRA:\s*(-?inf|-?[\d.]+) LU/.exec(body);
    const peak = /True peak:\s*\n\s*Peak:\s*(-?inf|-?[\d.]+) dBFS/.exec(body);
    if (!integrated) continue;
    result.set(match[1], {
      integratedLufs: parseNumber(integrated[1]),
      rangeLu: range ? parseNumber(range[1]) : 0,
      truePeakDbtp: peak ? parseNumber(peak[1]) : -Infinity,
    });
  }
  return result;
}

/** The silences silencedetect logged, in order. */
export function parseSilences(log: string): SilenceSpan[] {
  const spans: SilenceSpan[] = [];
  for (const match of log.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
    const value = Number(match[2]);
    if (match[1] === 'start') spans.push({ start: Math.max(0, value) });
    else if (spans.length > 0 && spans[spans.length - 1].end === undefined) spans[spans.length - 1].end = value;
  }
  return spans;
}

/** The last `out_time_us` of an ffmpeg `-progress` stream, in seconds: how much audio was actually decoded. */
export function parseDecodedSeconds(progress: string): number {
  let last = 0;
  for (const match of progress.matchAll(/^out_time_us=(\d+)$/gm)) last = Number(match[1]);
  return last / 1e6;
}

/** Where the music starts and ends, in seconds, given the silences around it and the track's duration. */
export function cuePoints(silences: SilenceSpan[], durationSeconds: number): { cueIn: number; cueOut: number } {
  const tolerance = 0.05;
  let cueIn = 0;
  let cueOut = durationSeconds;
  const head = silences[0];
  if (head && head.start <= tolerance && head.end !== undefined) cueIn = head.end;
  const tail = silences[silences.length - 1];
  if (tail && (tail.end === undefined || tail.end >= durationSeconds - tolerance) && tail.start > cueIn) {
    cueOut = tail.start;
  }
  if (head && head.start <= tolerance && head.end === undefined) {
    // All silence: nothing to cue; keep the whole file rather than an empty window.
    return { cueIn: 0, cueOut: durationSeconds };
  }
  return { cueIn: round3(cueIn), cueOut: round3(Math.min(cueOut, durationSeconds)) };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
