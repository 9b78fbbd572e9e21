import { openingHoursProblems } from './opening-hours';
import { isIanaTimeZone } from './time-zone';

describe('opening hours', () => {
  it('accepts a normal week with a split day and an overnight Saturday', () => {
    expect(
      openingHoursProblems([
        { weekday: 1, opens: '09:00', closes: '12:30' },
        { weekday: 1, opens: '13:30', closes: '18:00' },
        { weekday: 6, opens: '18:00', closes: '02:00' },
        { weekday: 7, opens: '10:00', closes: '16:00' },
      ]),
    ).toEqual([]);
  });

  it('refuses bad weekdays and times with the field named', () => {
    expect(
      openingHoursProblems([
        { weekday: 0, opens: '09:00', closes: '10:00' },
        { weekday: 2, opens: '24:00', closes: '9:00' },
        { weekday: 3, opens: '10:00', closes: '10:00' },
      ]),
    ).toEqual([
      'openingHours[0].weekday must be 1 (Monday) to 7 (Sunday)',
      'openingHours[1].opens must be a time HH:MM from 00:00 to 23:59',
      'openingHours[1].closes must be a time HH:MM from 00:00 to 23:59',
      'openingHours[2] opens and closes at the same time; omit the day to mark it closed',
    ]);
  });

  it('finds overlaps on one day, and an overnight Sunday running into Monday morning', () => {
    expect(
      openingHoursProblems([
        { weekday: 2, opens: '09:00', closes: '12:00' },
        { weekday: 2, opens: '11:00', closes: '14:00' },
      ]),
    ).toEqual(['openingHours[0] overlaps openingHours[1]']);
    expect(
      openingHoursProblems([
        { weekday: 7, opens: '20:00', closes: '03:00' },
        { weekday: 1, opens: '02:00', closes: '06:00' },
      ]),
    ).toEqual(['openingHours[0] overlaps openingHours[1]']);
  });
});

describe('IANA time zone names', () => {
  it('accepts zones this runtime knows, including three-part names and UTC', () => {
    expect(['Europe/Berlin', 'America/Argentina/Salta', 'UTC', 'Pacific/Auckland'].map(isIanaTimeZone)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('refuses unknown names, offsets and abbreviations', () => {
    expect(['Europe/Atlantis', '+01:00', 'CET1', 'Berlin', ''].map(isIanaTimeZone)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
