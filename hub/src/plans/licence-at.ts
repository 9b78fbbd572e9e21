import type { Licence } from '../licences/entities/licence.entity';
import { licenceStatus, licenceTerms, type LicenceTerms } from '../licences/views';

/** The licence in force for a zone at `at` (as LicencesService.effectiveLicence picks it), or null. */
export function licenceAt(licences: readonly Licence[], zoneId: string, at: Date): LicenceTerms | null {
  const inForce = licences.find(
    (l) => licenceStatus(l, at) === 'active' && (l.zoneIds === null || l.zoneIds.includes(zoneId)),
  );
  return inForce === undefined ? null : licenceTerms(inForce);
}

/**
 * The next instant after `at` at which the zone's licence in force may change by itself (a licence covering it
 * begins or ends), or null: the plan is recompiled then. Revocations and amendments invalidate plans directly.
 */
export function nextLicenceChange(licences: readonly Licence[], zoneId: string, at: Date): Date | null {
  let next: number | null = null;
  for (const l of licences) {
    if (l.revokedAt !== null && l.revokedAt.getTime() <= at.getTime()) continue;
    if (l.zoneIds !== null && !l.zoneIds.includes(zoneId)) continue;
    for (const t of [l.validFrom.getTime(), l.validUntil.getTime()]) {
      if (t > at.getTime() && (next === null || t < next)) next = t;
    }
  }
  return next === null ? null : new Date(next);
}
