import type { CheckinRequest } from '@roomtone/provisioning';
import { AppError } from '../../common/errors';
import { parseCheckin } from './checkin-validator';

const good: CheckinRequest = {
  softwareVersion: '1.4.2',
  clock: '2026-11-24T10:00:00.000Z',
  uptimeSeconds: 5,
  state: 'playing',
  planId: null,
  licenceEtag: null,
  nowPlaying: { trackId: 't', programmeId: null, startedAt: '2026-11-24T09:59:00Z', quality: 'preview' },
  cache: { tracks: 1, bytes: 2, budgetBytes: 3, missing: 0 },
  disk: { freeBytes: 10 },
  playLog: { pending: 0, lastSequence: 0 },
  errors: [],
};

function fieldsOf(body: unknown): string[] {
  try {
    parseCheckin(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return ((error as AppError).details?.fields as { field: string }[]).map((f) => f.field);
  }
  return [];
}

describe('parseCheckin (CheckinRequest)', () => {
  it('accepts the contract, with or without the nullable parts', () => {
    expect(parseCheckin(good)).toBe(good);
    expect(
      fieldsOf({ ...good, nowPlaying: null, planId: '01936f1e-0000-7000-8000-0000000000bb', licenceEtag: 'x' }),
    ).toEqual([]);
  });

  it('names every bad field, nested ones with their path', () => {
    expect(
      fieldsOf({
        ...good,
        softwareVersion: '',
        state: 'dancing',
        planId: 'plan-1',
        cache: { tracks: 1, bytes: -1, budgetBytes: 1.5, missing: 0, extra: 1 },
        errors: [{ at: 'yesterday', message: 'm' }],
        colour: 'blue',
      }).sort(),
    ).toEqual([
      'cache.budgetBytes',
      'cache.bytes',
      'cache.extra',
      'colour',
      'errors.0.at',
      'planId',
      'softwareVersion',
      'state',
    ]);
  });

  it('missing fields are refused (undefined is not null); a non-object body names the body', () => {
    const { planId: _planId, disk: _disk, ...partial } = good;
    expect(fieldsOf(partial).sort()).toEqual(['disk', 'planId']);
    expect(fieldsOf([1])).toEqual(['body']);
    expect(fieldsOf({ ...good, nowPlaying: { trackId: 't' } }).sort()).toEqual([
      'nowPlaying.programmeId',
      'nowPlaying.quality',
      'nowPlaying.startedAt',
    ]);
  });

  it('instants must be real UTC instants: no local offsets, no 30 February', () => {
    expect(fieldsOf({ ...good, clock: '2026-11-24T10:00:00+01:00' })).toEqual(['clock']);
    expect(fieldsOf({ ...good, clock: '2026-02-30T10:00:00Z' })).toEqual(['clock']);
    expect(fieldsOf({ ...good, clock: '2026-11-24T10:00:00Z' })).toEqual([]);
  });

  it('at most 20 errors, each checked', () => {
    const errors = Array.from({ length: 21 }, () => ({ at: '2026-11-24T10:00:00Z', message: 'x' }));
    expect(fieldsOf({ ...good, errors })).toEqual(['errors']);
  });
});
