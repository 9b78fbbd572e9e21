import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalBytes } from '@roomtone/provisioning';
import { createHash } from 'node:crypto';
import type { PlayStart } from '../daemon/ports';
import { GENESIS_HASH } from './play-hash';
import { SqlitePlayLog } from './play-log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'playlog-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function start(n: number): PlayStart {
  return {
    playId: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    trackId: '0190a000-0000-7000-8000-00000000000a',
    planId: '0190a000-0000-7000-8000-00000000000b',
    programmeId: null,
    blockId: null,
    rule: null,
    startedAt: new Date(Date.UTC(2026, 2, 29, 1, 0, n)).toISOString(),
    source: 'scheduled',
    quality: 'full',
    offline: false,
  };
}

describe('SqlitePlayLog', () => {
  it('numbers plays 1, 2, 3 and chains them: hash = SHA-256 of the canonical record without hash', () => {
    const log = new SqlitePlayLog(join(dir, 'playlog.sqlite'));
    const a = log.begin(start(1));
    const b = log.begin(start(2));
    expect([a, b]).toEqual([1, 2]);
    expect(log.stats()).toEqual({ pending: 0, lastSequence: 2 });
    log.end(a, 181.5, 'completed');
    log.end(b, 12, 'stopped');
    const [first, second] = log.pending(10);
    expect(first.prevHash).toBe(GENESIS_HASH);
    const { hash, ...rest } = first;
    expect(hash).toBe(createHash('sha256').update(canonicalBytes(rest)).digest('hex'));
    expect(first).toMatchObject({ sequence: 1, secondsAudible: 181.5, ended: 'completed' });
    expect(second.prevHash).toBe(first.hash);
    expect(second).toMatchObject({ sequence: 2, secondsAudible: 12, ended: 'stopped' });
    log.close();
  });

  it('a play closed before an earlier overlapping one (crossfade) waits: the chain stays in sequence order', () => {
    const log = new SqlitePlayLog(join(dir, 'playlog.sqlite'));
    const a = log.begin(start(1));
    const b = log.begin(start(2));
    log.end(b, 5, 'completed');
    expect(log.pending(10)).toEqual([]);
    log.end(a, 7, 'completed');
    const plays = log.pending(10);
    expect(plays.map((p) => p.sequence)).toEqual([1, 2]);
    expect(plays[1].prevHash).toBe(plays[0].hash);
    log.close();
  });

  it('deletes only what the hub acknowledged; numbering and the chain continue after deletion and reopen', () => {
    const path = join(dir, 'playlog.sqlite');
    let log = new SqlitePlayLog(path);
    for (let i = 1; i <= 3; i++) log.end(log.begin(start(i)), i, 'completed');
    const before = log.pending(10);
    expect(log.acknowledge(2)).toBe(2);
    expect(log.pending(10).map((p) => p.sequence)).toEqual([3]);
    log.close();
    log = new SqlitePlayLog(path);
    const next = log.begin(start(4));
    expect(next).toBe(4);
    log.end(next, 1, 'completed');
    const plays = log.pending(10);
    expect(plays.map((p) => p.sequence)).toEqual([3, 4]);
    expect(plays[1].prevHash).toBe(before[2].hash);
    expect(log.stats()).toEqual({ pending: 2, lastSequence: 4 });
    log.close();
  });

  it('never deletes an open play, even when asked to acknowledge past it', () => {
    const log = new SqlitePlayLog(join(dir, 'playlog.sqlite'));
    const a = log.begin(start(1));
    expect(log.acknowledge(5)).toBe(0);
    log.end(a, 1, 'completed');
    expect(log.pending(10)).toHaveLength(1);
    log.close();
  });

  it('ending a play twice changes nothing (the first end and its hash stand); ending one never begun throws', () => {
    const log = new SqlitePlayLog(join(dir, 'playlog.sqlite'));
    const a = log.begin(start(1));
    log.end(a, 10, 'completed');
    const [before] = log.pending(1);
    log.end(a, 99, 'stopped');
    expect(log.pending(1)).toEqual([before]);
    log.acknowledge(1);
    expect(() => log.end(a, 1, 'completed')).not.toThrow();
    expect(() => log.end(7, 1, 'completed')).toThrow(/never begun/);
    log.close();
  });

  it('pending returns the oldest first, at most the limit', () => {
    const log = new SqlitePlayLog(join(dir, 'playlog.sqlite'));
    for (let i = 1; i <= 5; i++) log.end(log.begin(start(i)), 1, 'completed');
    expect(log.pending(2).map((p) => p.sequence)).toEqual([1, 2]);
    log.close();
  });

  it('opening after a crash closes a play left open as interrupted with its last recorded audible time', () => {
    const path = join(dir, 'playlog.sqlite');
    const log = new SqlitePlayLog(path);
    log.end(log.begin(start(1)), 10, 'completed');
    const open = log.begin(start(2));
    log.progress(open, 42.5);
    // no close(): the process "dies" with the play open
    const reopened = new SqlitePlayLog(path);
    const plays = reopened.pending(10);
    expect(plays.map((p) => [p.sequence, p.ended, p.secondsAudible])).toEqual([
      [1, 'completed', 10],
      [2, 'interrupted', 42.5],
    ]);
    expect(plays[1].prevHash).toBe(plays[0].hash);
    reopened.close();
    log.close();
  });

  it('kill -9 mid-play after 39 durable plays: all 40 begun plays are on disk, the open one closed as interrupted with its 2.25 s', async () => {
    const path = join(dir, 'playlog.sqlite');
    const child = spawn(process.execPath, [join(__dirname, '__fixtures__', 'kill-writer.js'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('writer wrote no 40 plays within 30 s')), 30_000);
      child.on('error', reject);
      child.stdout.on('data', (data: Buffer) => {
        buffer += data.toString('utf8');
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        lines.push(...parts);
        // Kill mid-play: the writer holds play 40 open with 2.25 s audible recorded.
        if (lines.some((l) => l.startsWith('holding'))) {
          clearTimeout(deadline);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const reported = lines.filter((l) => l.startsWith('begun')).map((l) => Number(l.split(' ')[1]));
    const lastProgress = lines
      .filter((l) => l.startsWith('progress'))
      .pop()!
      .split(' ');
    const log = new SqlitePlayLog(path);
    const plays = log.pending(10_000);
    expect(reported).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(plays.map((p) => p.sequence)).toEqual(reported);
    expect(plays.slice(0, 39).every((p) => p.ended === 'completed' && p.secondsAudible === 3)).toBe(true);
    expect(lastProgress.slice(1)).toEqual(['40', '2.25']);
    expect(plays[39]).toMatchObject({ sequence: 40, ended: 'interrupted', secondsAudible: 2.25 });
    for (let i = 1; i < plays.length; i++) expect(plays[i].prevHash).toBe(plays[i - 1].hash);
    log.close();
  }, 60_000);
});
