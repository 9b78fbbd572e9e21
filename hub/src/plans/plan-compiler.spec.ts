import {
  assemblePlan,
  canonicalize,
  DEFAULT_CHUNK_SIZE,
  planBodyRef,
  splitPlan,
  type PlanCatalogueBody,
  type PlanEnvelope,
  type PlanTimelineBody,
} from '@roomtone/provisioning';
import type { PlanInterval } from '@roomtone/schedules';
import type { Licence } from '../licences/entities/licence.entity';
import { licenceAt, nextLicenceChange } from './licence-at';
import {
  compilePlan,
  downloadBytes,
  envelopeContent,
  PlanFragments,
  trackSetId,
  type CompiledPlan,
  type TrackFacts,
} from './plan-compiler';

/** What the appliance does with a compiled plan: parse the envelope and bodies, assemble. */
function assembled(c: CompiledPlan) {
  const envelope = JSON.parse(c.text) as PlanEnvelope;
  return assemblePlan(
    envelope,
    JSON.parse(c.timeline.text) as PlanTimelineBody,
    JSON.parse(c.catalogue.text) as PlanCatalogueBody,
  );
}

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

  it('format 2: a small envelope referencing canonical bodies by SHA-256; assembled, neededFrom is the first interval whose programme lists the track; unresolved programmes play silence', () => {
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
    const envelope = JSON.parse(compiled.text) as PlanEnvelope;
    expect(compiled.text).toBe(canonicalize(envelope));
    expect(Object.keys(envelope).sort()).toEqual(
      [
        'type',
        'formatVersion',
        'planId',
        'zoneId',
        'venueId',
        'timeZone',
        'tzdbVersion',
        'scheduleVersion',
        'compiledAt',
        'from',
        'until',
        'licence',
        'timeline',
        'catalogue',
      ].sort(),
    );
    expect(envelope.formatVersion).toBe(2);
    for (const body of [compiled.timeline, compiled.catalogue]) {
      expect(body.text).toBe(canonicalize(JSON.parse(body.text)));
      expect(body.ref).toEqual(planBodyRef(body.text));
    }
    expect(envelope.timeline).toEqual(compiled.timeline.ref);
    expect(envelope.catalogue).toEqual(compiled.catalogue.ref);
    const payload = assembled(compiled);
    // The hub's fragments produce the bytes of the reference implementation in @roomtone/provisioning.
    const reference = splitPlan(payload);
    expect(reference.bodies).toEqual({ timeline: compiled.timeline.text, catalogue: compiled.catalogue.text });
    expect(canonicalize(reference.envelope)).toBe(compiled.text);
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

  it('zones sharing a schedule expansion and resolved programmes share both bodies; content ignores planId and compiledAt', () => {
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
    expect(fragments.catalogues.size).toBe(1);
    expect(b.timeline).toBe(a.timeline);
    expect(b.catalogue).toBe(a.catalogue);
    for (const c of [a, b]) expect(c.text).toBe(canonicalize(JSON.parse(c.text)));
    expect(b.text).toBe(
      a.text.replace(/"planId":"plan-a"/, '"planId":"plan-b"').replace(/"zoneId":"a"/, '"zoneId":"b"'),
    );
    expect(a.text.length).toBeLessThan(1000);
    // A recompilation with the same inputs differs only in planId and compiledAt: same content.
    const again = compilePlan({ ...input('a'), planId: 'plan-a2', compiledAt: new Date('2026-03-28T00:05:00Z') });
    expect(again.content).toBe(a.content);
    expect(envelopeContent(JSON.parse(again.text) as Record<string, unknown>)).toBe(a.content);
    expect(compilePlan({ ...input('a'), scheduleVersion: 2 }).content).not.toBe(a.content);
    // A track without facts makes the programme zone-specific: its own catalogue, without the track.
    const partial = compilePlan({ ...input('c'), facts: new Map([['t1', facts('t1')]]) }, fragments);
    expect(fragments.catalogues.size).toBe(2);
    expect(partial.timeline).toBe(a.timeline);
    expect(assembled(partial).programmes[0].trackIds).toEqual(['t1']);
    expect(assembled(partial).tracks.map((t) => t.id)).toEqual(['t1']);
  });

  it('assembly refuses bodies that do not fit: an interval naming a programme the catalogue lacks, a programme naming an unknown track', () => {
    const compiled = compilePlan({
      planId: 'p',
      zoneId: 'z',
      venueId: 'v',
      timeZone: 'Europe/Berlin',
      tzdbVersion: '2025b',
      scheduleVersion: 1,
      compiledAt: new Date('2026-03-28T00:00:00Z'),
      from: new Date('2026-03-28T00:00:00Z'),
      until: new Date('2026-04-11T00:00:00Z'),
      licence: null,
      intervals: [interval('2026-03-28T08:00:00Z', '2026-03-28T12:00:00Z', 'morning')],
      programmes: [programme('morning', ['t1'])],
      facts: new Map([['t1', facts('t1')]]),
    });
    const envelope = JSON.parse(compiled.text) as PlanEnvelope;
    const timeline = JSON.parse(compiled.timeline.text) as PlanTimelineBody;
    const catalogue = JSON.parse(compiled.catalogue.text) as PlanCatalogueBody;
    expect(() => assemblePlan(envelope, timeline, { ...catalogue, programmes: [] })).toThrow(
      'intervals[0] names programme morning, which its catalogue lacks',
    );
    expect(() => assemblePlan(envelope, timeline, { ...catalogue, tracks: [] })).toThrow(
      'programme morning names track t1, which its catalogue lacks',
    );
    expect(() => assemblePlan(envelope, catalogue as unknown as PlanTimelineBody, catalogue)).toThrow(
      'the timeline body is not a roomtone.plan-timeline',
    );
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
