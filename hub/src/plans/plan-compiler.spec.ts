import { canonicalize, DEFAULT_CHUNK_SIZE, type PlanPayload } from '@roomtone/provisioning';
import type { PlanInterval } from '@roomtone/schedules';
import type { Licence } from '../licences/entities/licence.entity';
import { licenceAt, nextLicenceChange } from './licence-at';
import { compilePlan, downloadBytes, PlanFragments, trackSetId, type TrackFacts } from './plan-compiler';

const interval = (start: string, end: string, programme: string): PlanInterval => ({
  startMs: Date.parse(start),
  endMs: Date.parse(end),
  blockId: `b-${programme}`,
  programme,
  volume: 50,
  priority: 0,
  start: { mode: 'soft', maxLatenessSec: 90 },
  rule: 'DTSTART:20260101T080000\nRRULE:FREQ=DAILY',
  ruleKind: 'rrule',
  occurrence: '2026-03-28T08:00',
});
const facts = (id: string): TrackFacts => ({
  id,
  title: id,
  artist: null,
  album: null,
  label: null,
  isrc: null,
  durationMs: 1000,
  loudnessLufs: null,
  truePeakDbtp: null,
  cueInMs: null,
  cueOutMs: null,
  explicit: false,
  downloadBytes: 1,
  sha256: 'x',
  previewBytes: 1,
  neededFrom: '',
});
const programme = (id: string, trackIds: string[]) => ({
  id,
  name: id,
  version: 1,
  order: 'ordered' as const,
  repeatWindowMinutes: 0,
  artistSeparationMinutes: 0,
  crossfadeMs: 0,
  trackIds,
});

describe('plan compiler', () => {
  it('FORMAT.md size: header (144 + 2 + 36 + 2 + track id + 48) + plaintext + 16 per 64 KiB chunk', () => {
    const id = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect(downloadBytes(id, 0)).toBe(144 + 2 + 36 + 2 + 36 + 48 + 16);
    expect(downloadBytes(id, DEFAULT_CHUNK_SIZE)).toBe(268 + DEFAULT_CHUNK_SIZE + 16);
    expect(downloadBytes(id, DEFAULT_CHUNK_SIZE + 1)).toBe(268 + DEFAULT_CHUNK_SIZE + 1 + 32);
  });

  it('neededFrom is the first interval whose programme lists the track; unresolved programmes play silence', () => {
    const compiled = compilePlan({
      planId: 'p',
      zoneId: 'z',
      venueId: 'v',
      timeZone: 'Europe/Berlin',
      tzdbVersion: '2025b',
      scheduleVersion: 3,
      compiledAt: new Date('2026-03-28T00:00:00Z'),
      from: new Date('2026-03-28T00:00:00Z'),
      until: new Date('2026-04-11T00:00:00Z'),
      licence: null,
      intervals: [
        interval('2026-03-28T08:00:00Z', '2026-03-28T12:00:00Z', 'morning'),
        interval('2026-03-28T12:00:00Z', '2026-03-28T13:00:00Z', 'gone'),
        interval('2026-03-28T13:00:00Z', '2026-03-28T18:00:00Z', 'afternoon'),
      ],
      programmes: [programme('morning', ['t1', 't2', 'no-facts']), programme('afternoon', ['t2', 't3'])],
      facts: new Map(
        ['t1', 't2', 't3'].map((id) => [
          id,
          { ...facts(id), title: `${id} ,"previewBytes":1 "Café" \u{1F3B5}`, album: '\u2028x' },
        ]),
      ),
    });
    const payload = JSON.parse(compiled.text) as PlanPayload;
    expect(compiled.text).toBe(canonicalize(payload));
    expect(payload.intervals.map((i) => [i.programmeId, i.start, i.maxLatenessSeconds])).toEqual([
      ['morning', '2026-03-28T08:00:00.000Z', 90],
      ['afternoon', '2026-03-28T13:00:00.000Z', 90],
    ]);
    expect(payload.programmes.map((p) => [p.id, p.trackIds])).toEqual([
      ['morning', ['t1', 't2']],
      ['afternoon', ['t2', 't3']],
    ]);
    expect(payload.tracks.map((t) => [t.id, t.neededFrom])).toEqual([
      ['t1', '2026-03-28T08:00:00.000Z'],
      ['t2', '2026-03-28T08:00:00.000Z'],
      ['t3', '2026-03-28T13:00:00.000Z'],
    ]);
    expect(compiled.trackIds).toEqual(['t1', 't2', 't3']);
    expect(compiled.trackSet).toBe(trackSetId(['t1', 't2', 't3']));
  });

  it('zones sharing a schedule expansion and resolved programmes share the body; each text stays canonical', () => {
    const fragments = new PlanFragments();
    const intervals = [interval('2026-03-28T08:00:00Z', '2026-03-28T12:00:00Z', 'morning')];
    const programmes = [programme('morning', ['t1', 't2'])];
    const shared = new Map(['t1', 't2'].map((id) => [id, facts(id)]));
    const input = (zoneId: string) => ({
      planId: `plan-${zoneId}`,
      zoneId,
      venueId: 'v',
      timeZone: 'Europe/Berlin',
      tzdbVersion: '2025b',
      scheduleVersion: 1,
      compiledAt: new Date('2026-03-28T00:00:00Z'),
      from: new Date('2026-03-28T00:00:00Z'),
      until: new Date('2026-04-11T00:00:00Z'),
      licence: null,
      intervals,
      programmes,
      facts: shared,
    });
    const a = compilePlan(input('a'), fragments);
    const b = compilePlan(input('b'), fragments);
    expect(fragments.bodies.size).toBe(1);
    for (const c of [a, b]) expect(c.text).toBe(canonicalize(JSON.parse(c.text)));
    expect(b.text).toBe(
      a.text.replace(/"planId":"plan-a"/, '"planId":"plan-b"').replace(/"zoneId":"a"/, '"zoneId":"b"'),
    );
    // A track without facts makes the programme zone-specific: not shared, and the track is left out.
    const partial = compilePlan({ ...input('c'), facts: new Map([['t1', facts('t1')]]) }, fragments);
    expect(fragments.bodies.size).toBe(1);
    expect((JSON.parse(partial.text) as PlanPayload).programmes[0].trackIds).toEqual(['t1']);
  });

  it('licence in force and the next instant it changes by itself (validUntil exclusive)', () => {
    const l = (id: string, from: string, until: string, zoneIds: string[] | null = null): Licence =>
      Object.assign({} as Licence, {
        id,
        venueId: 'v',
        zoneIds,
        tier: 'full',
        validFrom: new Date(from),
        validUntil: new Date(until),
        leaseDays: 7,
        version: 1,
        revokedAt: null,
      });
    const licences = [
      l('next', '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z'),
      l('now', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
    ];
    expect(licenceAt(licences, 'z', new Date('2026-12-31T23:59:59.999Z'))?.licenceId).toBe('now');
    expect(licenceAt(licences, 'z', new Date('2027-01-01T00:00:00Z'))?.licenceId).toBe('next');
    expect(nextLicenceChange(licences, 'z', new Date('2026-06-01T00:00:00Z'))).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(
      licenceAt(
        [l('other', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', ['y'])],
        'z',
        new Date('2026-06-01T00:00:00Z'),
      ),
    ).toBeNull();
  });
});
