import { toBase64Url, type AppliancePublicKeys } from '@roomtone/provisioning';
import { Appliance, type EnrolmentKind } from '../entities/appliance.entity';

/** A new active appliance row from its public keys. */
export function newAppliance(input: {
  id: string;
  venueId: string;
  zoneId: string | null;
  keys: AppliancePublicKeys;
  via: EnrolmentKind;
  now: Date;
}): Appliance {
  return Object.assign(new Appliance(), {
    id: input.id,
    venueId: input.venueId,
    zoneId: input.zoneId,
    status: 'active',
    signingKey: toBase64Url(input.keys.signing),
    encryptionKey: toBase64Url(input.keys.encryption),
    enrolledVia: input.via,
    revokedAt: null,
    revokedReason: null,
    replacesId: null,
    replacedById: null,
    keysRotatedAt: null,
    createdAt: input.now,
    updatedAt: input.now,
  } satisfies Appliance);
}
