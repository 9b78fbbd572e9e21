import type { PlanProgrammeDoc, PlanTrackDoc } from '@roomtone/provisioning';
import { RecentPlays } from './history';
import { ProgrammePicker } from './picker';

const MIN = 60_000;

function programme(over: Partial<PlanProgrammeDoc>): PlanProgrammeDoc {
  return {
    id: 'p1',
    name: 'Day',
    version: 1,
    order: 'ordered',
    repeatWindowMinutes: 0,
    artistSeparationMinutes: 0,
    crossfadeMs: 0,
    trackIds: ['a', 'b', 'c', 'd'],
    ...over,
  };
}

function tracks(artists: Record<string, string>): (id: string) => PlanTrackDoc | undefined {
  return (id) => (id in artists ? ({ id, artist: artists[id], durationMs: 3 * MIN } as PlanTrackDoc) : undefined);
}

/** Plays `count` picks, 3 minutes apart, recording each in the history as the follower does. */
function run(
  picker: ProgrammePicker,
  history: RecentPlays,
  count: number,
  playable = (_: string) => true,
  startMs = 0,
) {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = startMs + i * 3 * MIN;
    const pick = picker.next(at, playable);
    if (!pick) break;
    out.push(pick.trackId);
    history.add({ trackId: pick.trackId, artist: null, programmeId: picker.programmeId, startedAtMs: at });
  }
  return out;
}

describe('ProgrammePicker', () => {
  const artists = tracks({ a: 'A', b: 'B', c: 'C', d: 'D' });

  it('ordered: plays trackIds in order and loops', () => {
    const history = new RecentPlays();
    const picker = new ProgrammePicker(programme({}), { track: artists, history, seed: 1 });
    expect(run(picker, history, 6)).toEqual(['a', 'b', 'c', 'd', 'a', 'b']);
  });

  it("ordered: resumes after the programme's last play in the history (restart)", () => {
    const history = new RecentPlays();
    history.add({ trackId: 'b', artist: 'B', programmeId: 'p1', startedAtMs: 0 });
    const picker = new ProgrammePicker(programme({}), { track: artists, history, seed: 1 });
    expect(picker.next(3 * MIN, () => true)?.trackId).toBe('c');
  });

  it('only playable (cached) tracks are picked: a missing track is replaced by the next cached one', () => {
    const history = new RecentPlays();
    const picker = new ProgrammePicker(programme({}), { track: artists, history, seed: 1 });
    expect(run(picker, history, 4, (id) => id !== 'b')).toEqual(['a', 'c', 'd', 'a']);
    expect(picker.next(0, () => false)).toBeNull();
  });

  it('shuffled: every pass is a permutation, reshuffled per pass, never the same track across the seam', () => {
    const ids = Array.from({ length: 8 }, (_, i) => `t${i}`);
    for (let seed = 0; seed < 40; seed++) {
      const history = new RecentPlays();
      const picker = new ProgrammePicker(programme({ order: 'shuffled', trackIds: ids }), {
        track: () => undefined,
        history,
        seed,
      });
      const played = run(picker, history, 32);
      const passes = [0, 1, 2, 3].map((p) => played.slice(p * 8, p * 8 + 8));
      for (const pass of passes) expect([...pass].sort()).toEqual(ids);
      for (let i = 1; i < played.length; i++) expect(played[i]).not.toBe(played[i - 1]);
      expect(passes[0]).not.toEqual(passes[1]);
    }
  });

  it('shuffled: the same seed gives the same order (reproducible)', () => {
    const make = () => {
      const history = new RecentPlays();
      return run(
        new ProgrammePicker(programme({ order: 'shuffled' }), { track: artists, history, seed: 9 }),
        history,
        8,
      );
    };
    expect(make()).toEqual(make());
  });

  it('artist separation: skips a track whose artist played within the window', () => {
    const history = new RecentPlays();
    const track = tracks({ a: 'X', b: 'X', c: 'Y', d: 'Z' });
    const picker = new ProgrammePicker(programme({ artistSeparationMinutes: 5 }), { track, history, seed: 1 });
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) {
      const at = i * 3 * MIN;
      const pick = picker.next(at, () => true);
      picks.push(pick?.trackId ?? '-');
      history.add({ trackId: pick!.trackId, artist: track(pick!.trackId)!.artist, programmeId: 'p1', startedAtMs: at });
    }
    // b (artist X) is not played 3 minutes after a (artist X): c comes first.
    // b comes back as soon as the separation allows, and the order continues after c.
    expect(picks).toEqual(['a', 'c', 'b', 'd']);
  });

  it('repeat window: the same track not again within the window; relaxed (artist first, then repeat) rather than silence', () => {
    const history = new RecentPlays();
    const track = tracks({ a: 'X', b: 'X' });
    const picker = new ProgrammePicker(
      programme({ trackIds: ['a', 'b'], repeatWindowMinutes: 60, artistSeparationMinutes: 60 }),
      { track, history, seed: 1 },
    );
    const first = picker.next(0, () => true)!;
    expect(first).toEqual({ trackId: 'a', relaxed: [] });
    history.add({ trackId: 'a', artist: 'X', programmeId: 'p1', startedAtMs: 0 });
    const second = picker.next(3 * MIN, () => true)!;
    expect(second).toEqual({ trackId: 'b', relaxed: ['artist-separation'] });
    history.add({ trackId: 'b', artist: 'X', programmeId: 'p1', startedAtMs: 3 * MIN });
    const third = picker.next(6 * MIN, () => true)!;
    // Both tracks are inside the repeat window: the least recently played one plays.
    expect(third).toEqual({ trackId: 'a', relaxed: ['artist-separation', 'repeat-window'] });
  });
});
