import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecentPlays } from './history';

describe('RecentPlays', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'roomtone-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('survives a restart: the repetition rules still see the plays before it', async () => {
    const path = join(dir, 'recent-plays.json');
    const before = new RecentPlays(path);
    before.add({ trackId: 'a', artist: 'X', programmeId: 'p', startedAtMs: 1_000 });
    before.add({ trackId: 'b', artist: 'Y', programmeId: 'p', startedAtMs: 2_000 });
    await before.flushed();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const after = new RecentPlays(path);
    expect(after.lastOfTrack('a')?.startedAtMs).toBe(1_000);
    expect(after.lastOfArtist('Y')?.trackId).toBe('b');
    expect(after.lastOfProgramme('p')?.trackId).toBe('b');
  });

  it('forgets plays older than a day', async () => {
    const history = new RecentPlays(join(dir, 'h.json'));
    history.add({ trackId: 'old', artist: null, programmeId: 'p', startedAtMs: 0 });
    history.add({ trackId: 'new', artist: null, programmeId: 'p', startedAtMs: 25 * 3_600_000 });
    expect(history.all().map((p) => p.trackId)).toEqual(['new']);
    await history.flushed();
    expect(JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8'))).toEqual({
      plays: [expect.objectContaining({ trackId: 'new' })],
    });
  });

  it('a damaged file is an empty history, not a stopped appliance', () => {
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(new RecentPlays(join(dir, 'bad.json')).all()).toEqual([]);
  });
});
