import { SCHEDULES_VERSION } from './index';

describe('schedules', () => {
  it('exports a version', () => {
    expect(SCHEDULES_VERSION).toBe(1);
  });
});
