import { createHash } from 'node:crypto';
import { canonicalBytes, type PlayRecord } from '@roomtone/provisioning';
import { flagsOf, GENESIS_HASH, overlapping, playHash, type PlayFacts } from './flags';

function record(overrides: Partial<PlayRecord> = {}): PlayRecord {
  const base: Omit<PlayRecord, 'hash'> = {
    playId: '0193a000-0000-4000-8000-000000000001',
    sequence: 1,
    prevHash: GENESIS_HASH,
    trackId: '0193a000-0000-7000-8000-000000000002',
    planId: null,
    programmeId: null,
    blockId: 'morning',
    rule: 'FREQ=DAILY;BYHOUR=8',
    startedAt: '2026-11-24T08:00:00.000Z',
    secondsAudible: 179.5,
    source: 'scheduled',
    quality: 'full',
    offline: false,
    ended: 'completed',
  };
  const merged = { ...base, ...overrides } as Omit<PlayRecord, 'hash'> & { hash?: string };
  delete merged.hash;
  const hash = createHash('sha256').update(canonicalBytes(merged)).digest('hex');
  return { ...merged, hash, ...(overrides.hash === undefined ? {} : { hash: overrides.hash }) } as PlayRecord;
}

describe('playHash (RFC 8785 members written directly)', () => {
  it.each([
    ['plain record', {}],
    ['non-ASCII and escapes in rule and block', { rule: 'Café «Zürich» \u2028 "q" \\ 🎵', blockId: 'ünïcode\n' }],
    ['fractions and zero', { secondsAudible: 0.1 + 0.2, sequence: 2_147_483_647 }],
    [
      'zero seconds, offline, plan ids',
      { secondsAudible: 0, offline: true, planId: '0193a000-0000-7000-8000-0000000000ff' },
    ],
  ])('agrees with canonicalBytes of the record without hash: %s', (_name, overrides) => {
    const r = record(overrides);
    expect(playHash(r)).toBe(r.hash);
  });
});

describe('overlapping (zone timeline)', () => {
  const at = (key: string, startS: number, endS: number, isNew = true) => ({
    key,
    startMs: startS * 1000,
    endMs: endS * 1000,
    isNew,
  });

  it('flags both new plays of an overlap longer than 12 s; a 12 s crossfade or touching plays are not overlaps', () => {
    expect(overlapping([at('a', 0, 180), at('b', 168, 300), at('c', 300, 400)])).toEqual(new Set());
    expect(overlapping([at('a', 0, 180), at('b', 167, 300)])).toEqual(new Set(['a', 'b']));
  });

  it('flags a new play overlapping a stored one, never the stored one; stored pairs are ignored', () => {
    expect(overlapping([at('s1', 0, 500, false), at('s2', 100, 200, false), at('n', 450, 600)])).toEqual(
      new Set(['n']),
    );
  });

  it('finds a play contained in a long earlier one even with other plays between', () => {
    expect(overlapping([at('long', 0, 3600), at('x', 3700, 3800), at('inside', 1000, 1100)])).toEqual(
      new Set(['long', 'inside']),
    );
  });
});

describe('flagsOf', () => {
  const facts = (r: PlayRecord, over: Partial<PlayFacts> = {}): PlayFacts => ({
    record: r,
    startMs: Date.parse(r.startedAt),
    durationMs: 180_000,
    previousHash: null,
    inPlan: null,
    overlaps: false,
    ...over,
  });
  const now = Date.parse('2026-11-24T12:00:00.000Z');

  it('a clean first play has no flags', () => {
    expect(flagsOf(facts(record()), now)).toEqual([]);
  });

  it('longer-than-track only beyond duration + 2 s', () => {
    expect(flagsOf(facts(record({ secondsAudible: 182 })), now)).toEqual([]);
    expect(flagsOf(facts(record({ secondsAudible: 182.5 })), now)).toEqual(['longer-than-track']);
  });

  it('future only beyond now + 60 s', () => {
    expect(flagsOf(facts(record({ startedAt: '2026-11-24T12:01:00.000Z' })), now)).toEqual([]);
    expect(flagsOf(facts(record({ startedAt: '2026-11-24T12:01:00.001Z' })), now)).toEqual(['future']);
  });

  it('a hash check computed before the transaction (hashMatches) decides instead of hashing again', () => {
    expect(flagsOf(facts(record()), now)).toEqual([]);
    expect(flagsOf(facts(record(), { hashMatches: false }), now)).toEqual(['chain-mismatch']);
    expect(flagsOf(facts(record({ secondsAudible: 1 }), { hashMatches: true }), now)).toEqual([]);
  });

  it('chain: sequence 1 must follow the genesis hash; later ones the stored previous hash, unchecked across a gap', () => {
    expect(flagsOf(facts(record({ prevHash: 'a'.repeat(64) })), now)).toEqual(['chain-mismatch']);
    const second = record({ sequence: 2, prevHash: 'b'.repeat(64) });
    expect(flagsOf(facts(second, { previousHash: 'b'.repeat(64) }), now)).toEqual([]);
    expect(flagsOf(facts(second, { previousHash: 'c'.repeat(64) }), now)).toEqual(['chain-mismatch']);
    expect(flagsOf(facts(second, { previousHash: null }), now)).toEqual([]);
    expect(flagsOf(facts({ ...second, hash: 'd'.repeat(64) }, { previousHash: null }), now)).toEqual([
      'chain-mismatch',
    ]);
  });

  it('every flag at once, in PlayFlag order', () => {
    const r = { ...record({ startedAt: '2026-11-25T00:00:00.000Z', secondsAudible: 500 }), hash: 'e'.repeat(64) };
    expect(flagsOf(facts(r, { durationMs: null, inPlan: false, overlaps: true }), now)).toEqual([
      'overlap',
      'future',
      'not-in-plan',
      'chain-mismatch',
      'unknown-track',
    ]);
    expect(flagsOf(facts(r, { inPlan: false, overlaps: true }), now)).toEqual([
      'overlap',
      'longer-than-track',
      'future',
      'not-in-plan',
      'chain-mismatch',
    ]);
  });
});
