import { FixedClock } from '../time/clock';
import { UuidV7Generator } from './id-generator';

const zeros = (b: Uint8Array) => b.fill(0);

describe('UuidV7Generator (RFC 9562)', () => {
  it('encodes the clock milliseconds in the first 48 bits, version 7 and variant 10', () => {
    const ids = new UuidV7Generator(new FixedClock('2026-11-24T02:00:00.000Z'), zeros);
    const id = ids.next();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBe(Date.parse('2026-11-24T02:00:00.000Z'));
    expect(id).toBe('01a20b48-0900-7000-8000-000000000000');
  });

  it('ids made within one millisecond still sort in creation order (counter in rand_a)', () => {
    const ids = new UuidV7Generator(new FixedClock('2026-11-24T02:00:00.000Z'), zeros);
    const made = Array.from({ length: 5000 }, () => ids.next());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it('a clock stepping backwards does not break ordering', () => {
    const clock = new FixedClock('2026-11-24T02:00:00.000Z');
    const ids = new UuidV7Generator(clock, zeros);
    const first = ids.next();
    clock.advance(-60_000);
    const second = ids.next();
    expect(second > first).toBe(true);
  });
});
