import { fakeDeps } from './__fixtures__/fake-deps';
import { ScheduleError } from './errors';
import { parseSchedule, parseScheduleJson } from './parse';

jest.mock('./default-deps', () => ({ defaultDeps: jest.requireActual('./__fixtures__/fake-deps').fakeDeps }));

const good = {
  id: 'morning',
  rule: { rrule: 'DAILY 08:00' },
  end: '12:00',
  programme: 'acoustic',
  volume: 60,
};

function errorOf(doc: unknown): { code: string; path: string; message: string } {
  try {
    parseSchedule(doc, fakeDeps);
  } catch (error) {
    if (error instanceof ScheduleError) return { code: error.code, path: error.path, message: error.message };
    throw error;
  }
  throw new Error('expected a ScheduleError');
}

const doc = (patch: Record<string, unknown>, blocks: unknown[] = [good]) => ({
  version: 1,
  zone: 'Fake/Berlin',
  blocks,
  ...patch,
});

describe('schedule format v1 validation names the failing part by JSON path', () => {
  it('accepts a minimal schedule with defaults (priority 0, hard start, gap clip)', () => {
    const s = parseSchedule(doc({}), fakeDeps);
    expect(s.blocks[0]).toEqual({
      id: 'morning',
      rule: { rrule: 'DAILY 08:00' },
      length: { end: { hour: 12, minute: 0, second: 0 } },
      programme: 'acoustic',
      volume: 60,
      priority: 0,
      start: { mode: 'hard' },
      gap: 'clip',
    });
    expect(s.overrides).toEqual([]);
    expect(s.exceptions).toEqual([]);
  });

  const cases: [unknown, string, string][] = [
    [doc({ version: 2 }), 'INVALID_FORMAT', 'version: expected 1, got number 2'],
    [
      doc({ zone: 'Mars/Olympus' }),
      'INVALID_ZONE',
      'zone: "Mars/Olympus" is not an IANA time zone (e.g. "Europe/Berlin")',
    ],
    [
      doc({}, [good, { ...good, id: 'x', rule: { rrule: 'BAD' } }]),
      'INVALID_RULE',
      'blocks[1].rule.rrule: BYMONTHDAY value 32 is out of range (1-31 or -31..-1)',
    ],
    [
      doc({}, [{ ...good, volume: 101 }]),
      'INVALID_FIELD',
      'blocks[0].volume: expected an integer from 0 to 100, got number 101',
    ],
    [
      doc({}, [{ ...good, volumne: 1 }]),
      'INVALID_FIELD',
      'blocks[0].volumne: unknown field; expected one of id, rule, duration, end, programme, volume, priority, start, gap',
    ],
    [doc({}, [{ ...good, duration: 'PT1H' }]), 'INVALID_FIELD', 'blocks[0]: give either "duration" or "end", not both'],
    [
      doc({}, [{ ...good, end: '25:00' }]),
      'INVALID_FIELD',
      'blocks[0].end: "25:00" is not a time of day: write HH:MM or HH:MM:SS',
    ],
    [
      doc({}, [{ ...good, end: undefined, duration: 'P8D' }]),
      'INVALID_FIELD',
      'blocks[0].duration: must be at most P7D; split longer programming into several blocks',
    ],
    [
      doc({}, [{ ...good, start: { mode: 'soft', maxLatenessSeconds: -1 } }]),
      'INVALID_FIELD',
      'blocks[0].start.maxLatenessSeconds: expected an integer from 1 to 3600, got number -1',
    ],
    [doc({}, [{ ...good, gap: 'shift' }]), 'INVALID_FIELD', 'blocks[0].gap: expected "clip" or "skip", got "shift"'],
    [doc({}, [good, good]), 'DUPLICATE_ID', 'blocks[1].id: block id "morning" is used twice'],
    [
      doc({}, [{ ...good, rule: { rrule: 'DTSTART;TZID=America/New_York:20260105T080000\nRRULE:FREQ=DAILY' } }]),
      'INVALID_FIELD',
      "blocks[0].rule.rrule: DTSTART has TZID=America/New_York but the schedule's zone is Fake/Berlin: drop the TZID or use Fake/Berlin",
    ],
    [
      doc({}, [{ ...good, rule: { rrule: 'x', cron: 'y' } }]),
      'INVALID_FIELD',
      'blocks[0].rule: needs exactly one of "rrule" (RFC 5545 content lines) or "cron" (a cron expression)',
    ],
    [
      doc({ overrides: [{ id: 'h', from: '2026-12-26', to: '2026-12-25', action: 'closed' }] }),
      'INVALID_FIELD',
      'overrides[0].to: is before "from"; both dates are inclusive',
    ],
    [
      doc({
        overrides: [
          { id: 'h', from: '2026-12-25', to: '2026-12-25', action: 'modify', appliesTo: ['nope'], volume: 1 },
        ],
      }),
      'UNKNOWN_BLOCK',
      'overrides[0].appliesTo[0]: no block has id "nope"',
    ],
    [
      doc({ exceptions: [{ block: 'morning', occurrence: '2026-12-25T08:00Z', action: 'cancel' }] }),
      'INVALID_FIELD',
      'exceptions[0].occurrence: "2026-12-25T08:00Z" is not a wall-clock time: write YYYY-MM-DDTHH:MM[:SS] without an offset',
    ],
    [
      doc({ exceptions: [{ block: 'evening', occurrence: '2026-12-25T08:00', action: 'cancel' }] }),
      'UNKNOWN_BLOCK',
      'exceptions[0].block: no block has id "evening"',
    ],
  ];
  it.each(cases.map(([input, code, message]) => [message, code, input]))('refuses: %s (%s)', (message, code, input) => {
    expect(errorOf(input)).toMatchObject({ code, message });
  });

  it('a JSON syntax error is INVALID_FORMAT', () => {
    expect(() => parseScheduleJson('{"version": 1,', fakeDeps)).toThrow(ScheduleError);
  });
});
