import { diff } from './audit.service';

describe('audit diff', () => {
  it('keeps only the fields that changed, on both sides', () => {
    expect(
      diff(
        { name: 'Old', timeZone: 'Europe/Berlin', openingHours: [{ weekday: 1 }], address: null },
        { name: 'New', timeZone: 'Europe/Berlin', openingHours: [{ weekday: 2 }], address: null },
      ),
    ).toEqual({
      before: { name: 'Old', openingHours: [{ weekday: 1 }] },
      after: { name: 'New', openingHours: [{ weekday: 2 }] },
    });
  });

  it('shows a field that appears or disappears as undefined on the other side', () => {
    expect(diff({ a: 1 }, { b: 2 })).toEqual({ before: { a: 1, b: undefined }, after: { a: undefined, b: 2 } });
  });

  it('is empty when nothing changed', () => {
    expect(diff({ a: [1, 2] }, { a: [1, 2] })).toEqual({ before: {}, after: {} });
  });
});
