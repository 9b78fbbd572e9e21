import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { TenantFilter } from '../auth/access/principal';

/**
 * Restricts `qb` to rows the filter passes: `organisationColumn` in the caller's organisations or, when given,
 * `venueColumn` in their granted venues. Operators' filter adds nothing. Empty lists become a false condition rather
 * than `IN ()`, which is a syntax error on both databases.
 */
export function whereTenant<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  filter: TenantFilter,
  organisationColumn: string,
  venueColumn?: string,
): SelectQueryBuilder<T> {
  if (filter.all) return qb;
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.organisationIds.length > 0) {
    clauses.push(`${organisationColumn} IN (:...tenantOrganisationIds)`);
    params.tenantOrganisationIds = filter.organisationIds;
  }
  if (venueColumn !== undefined && filter.venueIds.length > 0) {
    clauses.push(`${venueColumn} IN (:...tenantVenueIds)`);
    params.tenantVenueIds = filter.venueIds;
  }
  return qb.andWhere(clauses.length > 0 ? `(${clauses.join(' OR ')})` : '1 = 0', params);
}
