import { runFfmpeg } from './ffmpeg';

/** A generated recording: what it sounds like and the tags written into it. */
export interface DemoTrackSpec {
  title: string;
  artist: string;
  album: string;
  label: string;
  year: number;
  isrc: string;
  genre: string;
  mood: string;
  bpm: number;
  /** Length of the music itself, without the silences added around it. */
  seconds: number;
  /** Root of the chord progression, Hz. */
  rootHz: number;
  /** Overall level, 0-1: lets tests make masters of different loudness. */
  level?: number;
  leadingSilenceSeconds?: number;
  trailingSilenceSeconds?: number;
}

export type DemoFormat = 'mp3' | 'flac' | 'wav';

/** A few demo recordings for the first-run catalogue: short, so the first start stays quick. */
export const DEMO_TRACKS: DemoTrackSpec[] = [
  {
    title: 'Morning Glass',
    artist: 'Tessellate',
    album: 'Lobby Hours',
    label: 'Roomtone Demo Records',
    year: 2026,
    isrc: 'GBRTD2600001',
    genre: 'Ambient',
    mood: 'calm',
    bpm: 72,
    seconds: 24,
    rootHz: 220,
  },
  {
    title: 'Counter Service',
    artist: 'Tessellate',
    album: 'Lobby Hours',
    label: 'Roomtone Demo Records',
    year: 2026,
    isrc: 'GBRTD2600002',
    genre: 'Lounge',
    mood: 'warm',
    bpm: 96,
    seconds: 28,
    rootHz: 246.94,
  },
  {
    title: 'Escalator Up',
    artist: 'The Floor Plans',
    album: 'Going Up',
    label: 'Roomtone Demo Records',
    year: 2025,
    isrc: 'GBRTD2500003',
    genre: 'Jazz',
    mood: 'upbeat',
    bpm: 120,
    seconds: 22,
    rootHz: 261.63,
  },
  {
    title: 'Waiting Room Waltz',
    artist: 'The Floor Plans',
    album: 'Going Up',
    label: 'Roomtone Demo Records',
    year: 2025,
    isrc: 'GBRTD2500004',
    genre: 'Classical',
    mood: 'gentle',
    bpm: 84,
    seconds: 30,
    rootHz: 196,
  },
  {
    title: 'Closing Time Glow',
    artist: 'Night Shift',
    album: 'After Hours',
    label: 'Roomtone Demo Records',
    year: 2024,
    isrc: 'GBRTD2400005',
    genre: 'Electronic',
    mood: 'mellow',
    bpm: 108,
    seconds: 26,
    rootHz: 174.61,
  },
];

/**
 * An aevalsrc expression that sounds like (simple) music: two alternating triads on a beat envelope, a bass on the
 * root and a soft hi-hat. `phase` detunes the right channel slightly so the stereo image is not mono.
 */
function musicExpression(spec: DemoTrackSpec, phase: number): string {
  const beat = 60 / spec.bpm;
  const bar = beat * 4;
  const level = spec.level ?? 1;
  const f = (ratio: number) => (spec.rootHz * ratio * (1 + phase)).toFixed(3);
  const chordA = `sin(2*PI*${f(1)}*t)+sin(2*PI*${f(1.25)}*t)+sin(2*PI*${f(1.5)}*t)`;
  const chordB = `sin(2*PI*${f(4 / 3)}*t)+sin(2*PI*${f(5 / 3)}*t)+sin(2*PI*${f(2)}*t)`;
  const second = `gte(mod(t,${(bar * 2).toFixed(4)}),${bar.toFixed(4)})`;
  const envelope = `(0.45+0.55*exp(-mod(t,${beat.toFixed(4)})*5))`;
  const chords = `(${chordA})*(1-${second})+(${chordB})*${second}`;
  const bass = `sin(2*PI*${f(0.5)}*t)*exp(-mod(t,${(beat * 2).toFixed(4)})*3)`;
  const hat = `(random(${phase > 0 ? 1 : 0})*2-1)*exp(-mod(t+${(beat / 2).toFixed(4)},${beat.toFixed(4)})*40)`;
  return `${(0.09 * level).toFixed(4)}*(${chords})*${envelope}+${(0.25 * level).toFixed(4)}*${bass}+${(0.05 * level).toFixed(4)}*${hat}`;
}

function tagArgs(spec: DemoTrackSpec, format: DemoFormat): string[] {
  const common = {
    title: spec.title,
    artist: spec.artist,
    album: spec.album,
    date: String(spec.year),
    genre: spec.genre,
  };
  const specific: Record<string, string> =
    format === 'mp3'
      ? { publisher: spec.label, TSRC: spec.isrc, TBPM: String(spec.bpm), TMOO: spec.mood }
      : { LABEL: spec.label, ISRC: spec.isrc, BPM: String(spec.bpm), MOOD: spec.mood };
  return Object.entries({ ...common, ...specific }).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]);
}

function codecArgs(format: DemoFormat, mp3Kbps: number): string[] {
  switch (format) {
    case 'mp3':
      // ID3v2.4: TMOO (mood) does not exist in v2.3.
      return ['-c:a', 'libmp3lame', '-b:a', `${mp3Kbps}k`, '-id3v2_version', '4'];
    case 'flac':
      return ['-c:a', 'flac'];
    case 'wav':
      // RIFF INFO carries title, artist, album, genre, date; it has no ISRC field (its 'ISRC' chunk means "source").
      return ['-c:a', 'pcm_s16le'];
  }
}

/**
 * Generates a tagged demo master with ffmpeg's lavfi sources (no binaries are committed): music-like tones with
 * `leadingSilenceSeconds` (default 0.5) of silence before and `trailingSilenceSeconds` (default 1) after, so cue
 * detection has something to find. MP3s are written at `mp3Kbps` (default 320).
 */
export async function generateDemoMaster(
  spec: DemoTrackSpec,
  file: string,
  format: DemoFormat,
  mp3Kbps = 320,
): Promise<void> {
  const lead = spec.leadingSilenceSeconds ?? 0.5;
  const trail = spec.trailingSilenceSeconds ?? 1;
  const source = `aevalsrc='${musicExpression(spec, 0)}|${musicExpression(spec, 0.003)}':s=44100:d=${spec.seconds}`;
  const delayMs = Math.round(lead * 1000);
  const shape = `afade=t=in:d=0.05,afade=t=out:st=${(spec.seconds - 1).toFixed(3)}:d=1,adelay=${delayMs}|${delayMs},apad=pad_dur=${trail}`;
  await runFfmpeg([
    '-y',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    source,
    '-af',
    shape,
    ...tagArgs(spec, format),
    ...codecArgs(format, mp3Kbps),
    '-f',
    format,
    file,
  ]);
}
