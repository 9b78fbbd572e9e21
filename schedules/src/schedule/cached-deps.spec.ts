import { fakeDeps } from './__fixtures__/fake-deps';
import type { ScheduleDeps } from './binding';
import { cachedDeps } from './cached-deps';
import { expand } from './expand';
import { parseSchedule } from './parse';

jest.mock('./default-deps', () => ({ defaultDeps: jest.requireActual('./__fixtures__/fake-deps').fakeDeps }));

describe('cachedDeps', () => {
  it('parses and expands each (rule, zone) once for many schedules, with the same plans', () => {
    let binds = 0;
    let expansions = 0;
    const counting: ScheduleDeps = {
      ...fakeDeps,
      bindRule(spec, zone) {
        binds++;
        const rule = fakeDeps.bindRule(spec, zone);
        return { ...rule, expand: (f, t, l) => (expansions++, rule.expand(f, t, l)) };
      },
    };
    const doc = {
      version: 1,
      zone: 'Fake/Berlin',
      blocks: [{ id: 'day', rule: { rrule: 'DAILY 09:00' }, end: '17:00', programme: 'p', volume: 50 }],
    };
    const shared = cachedDeps(counting);
    const from = Date.parse('2026-06-01T00:00:00Z');
    const to = Date.parse('2026-06-08T00:00:00Z');
    const plans = Array.from({ length: 50 }, () => expand(parseSchedule(doc, shared), from, to));
    expect(binds).toBe(1);
    expect(expansions).toBe(1);
    expect(plans[49]).toEqual(expand(parseSchedule(doc, fakeDeps), from, to));
    expect(plans[0]).toHaveLength(7);
  });
});
