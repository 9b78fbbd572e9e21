import type { ApplianceView } from '../dto/appliance.dto';
import type { Appliance } from '../entities/appliance.entity';

/** The public shape of an appliance row. */
export function applianceView(a: Appliance): ApplianceView {
  return {
    id: a.id,
    venueId: a.venueId,
    zoneId: a.zoneId,
    status: a.status,
    signingKey: a.signingKey,
    encryptionKey: a.encryptionKey,
    enrolledVia: a.enrolledVia,
    revokedAt: a.revokedAt?.toISOString() ?? null,
    revokedReason: a.revokedReason,
    replacesId: a.replacesId,
    replacedById: a.replacedById,
    createdAt: a.createdAt.toISOString(),
  };
}
