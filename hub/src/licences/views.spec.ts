import { Licence } from './entities/licence.entity';
import { licenceStatus } from './views';

const licence = (revokedAt: string | null = null): Licence =>
  Object.assign(new Licence(), {
    validFrom: new Date('2026-12-01T00:00:00.000Z'),
    validUntil: new Date('2027-12-01T00:00:00.000Z'),
    revokedAt: revokedAt === null ? null : new Date(revokedAt),
  });

describe('licenceStatus', () => {
  it.each([
    ['2026-11-30T23:59:59.999Z', 'pending'],
    ['2026-12-01T00:00:00.000Z', 'active'],
    ['2027-11-30T23:59:59.999Z', 'active'],
    ['2027-12-01T00:00:00.000Z', 'expired'],
  ])('at %s a licence valid [2026-12-01, 2027-12-01) is %s', (at, status) => {
    expect(licenceStatus(licence(), new Date(at))).toBe(status);
  });

  it('is revoked from the revocation instant on, and keeps its earlier status before it', () => {
    const revoked = licence('2027-03-01T12:00:00.000Z');
    expect(licenceStatus(revoked, new Date('2027-03-01T11:59:59.999Z'))).toBe('active');
    expect(licenceStatus(revoked, new Date('2027-03-01T12:00:00.000Z'))).toBe('revoked');
  });
});
