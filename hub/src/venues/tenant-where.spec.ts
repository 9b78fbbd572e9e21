import type { SelectQueryBuilder } from 'typeorm';
import { whereTenant } from './tenant-where';

class RecordingBuilder {
  where: { sql: string; params: Record<string, unknown> }[] = [];
  andWhere(sql: string, params: Record<string, unknown>): this {
    this.where.push({ sql, params });
    return this;
  }
}

function apply(...args: Parameters<typeof whereTenant> extends [unknown, ...infer R] ? R : never) {
  const qb = new RecordingBuilder();
  whereTenant(qb as unknown as SelectQueryBuilder<object>, ...args);
  return qb.where;
}

describe('whereTenant', () => {
  it('adds nothing for operators', () => {
    expect(apply({ all: true }, 'v.organisation_id', 'v.id')).toEqual([]);
  });

  it('matches organisations or granted venues', () => {
    expect(apply({ all: false, organisationIds: ['o1'], venueIds: ['v9'] }, 'v.organisation_id', 'v.id')).toEqual([
      {
        sql: '(v.organisation_id IN (:...tenantOrganisationIds) OR v.id IN (:...tenantVenueIds))',
        params: { tenantOrganisationIds: ['o1'], tenantVenueIds: ['v9'] },
      },
    ]);
  });

  it('ignores venue grants for rows without a venue column', () => {
    expect(apply({ all: false, organisationIds: ['o1'], venueIds: ['v9'] }, 'g.organisation_id')).toEqual([
      { sql: '(g.organisation_id IN (:...tenantOrganisationIds))', params: { tenantOrganisationIds: ['o1'] } },
    ]);
  });

  it('matches nothing (never `IN ()`) for a caller with no tenants', () => {
    expect(apply({ all: false, organisationIds: [], venueIds: [] }, 'v.organisation_id', 'v.id')).toEqual([
      { sql: '1 = 0', params: {} },
    ]);
  });
});
