import type { Licence, LicenceTier } from './entities/licence.entity';

/** Where a licence stands at an instant: derived from its validity, never stored. */
export type LicenceStatus = 'pending' | 'active' | 'expired' | 'revoked';

/** A licence as the API returns it. */
export interface LicenceView {
  id: string;
  venueId: string;
  zoneIds: string[] | null;
  tier: LicenceTier;
  validFrom: string;
  validUntil: string;
  leaseDays: number;
  version: number;
  status: LicenceStatus;
  revokedAt: string | null;
  revokedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The terms delivery code applies to a zone at an instant. */
export interface LicenceTerms {
  licenceId: string;
  version: number;
  venueId: string;
  tier: LicenceTier;
  validFrom: Date;
  validUntil: Date;
  leaseDays: number;
}

/** The status of `licence` at `at`; validUntil is exclusive. */
export function licenceStatus(licence: Licence, at: Date): LicenceStatus {
  if (licence.revokedAt !== null && licence.revokedAt.getTime() <= at.getTime()) return 'revoked';
  if (at.getTime() < licence.validFrom.getTime()) return 'pending';
  if (at.getTime() >= licence.validUntil.getTime()) return 'expired';
  return 'active';
}

/** The API view of `licence` at `now`. */
export function licenceView(licence: Licence, now: Date): LicenceView {
  return {
    id: licence.id,
    venueId: licence.venueId,
    zoneIds: licence.zoneIds,
    tier: licence.tier,
    validFrom: licence.validFrom.toISOString(),
    validUntil: licence.validUntil.toISOString(),
    leaseDays: licence.leaseDays,
    version: licence.version,
    status: licenceStatus(licence, now),
    revokedAt: licence.revokedAt?.toISOString() ?? null,
    revokedReason: licence.revokedReason,
    createdAt: licence.createdAt.toISOString(),
    updatedAt: licence.updatedAt.toISOString(),
  };
}

/** The terms of `licence`, for delivery code. */
export function licenceTerms(licence: Licence): LicenceTerms {
  return {
    licenceId: licence.id,
    version: licence.version,
    venueId: licence.venueId,
    tier: licence.tier,
    validFrom: licence.validFrom,
    validUntil: licence.validUntil,
    leaseDays: licence.leaseDays,
  };
}
