import { Injectable } from '@nestjs/common';
import {
  HubSigningKey,
  signDocument,
  toBase64Url,
  type HubTimePayload,
  type JsonValue,
  type SignedDocument,
} from '@roomtone/provisioning';

export type { HubTimePayload };
import { Clock } from '../common/time/clock';

/**
 * Signs what the hub sends appliances (plans, licences, configuration, the time) with the hub key, as detached
 * Ed25519 signatures over RFC 8785 canonical bytes that the appliance checks against the key it pinned at enrolment.
 */
@Injectable()
export class DocumentSigner {
  constructor(
    private readonly key: HubSigningKey,
    private readonly clock: Clock,
  ) {}

  /** Signs `payload` as is. */
  sign<T extends JsonValue>(payload: T): SignedDocument<T> {
    return signDocument(this.key, payload);
  }

  /** The hub's time for one appliance; the appliance id in the payload stops one appliance replaying another's. */
  signedTime(applianceId: string): SignedDocument<HubTimePayload> {
    return this.sign({ type: 'roomtone.hub-time', applianceId, time: this.clock.now().toISOString() });
  }

  /** The hub's public key (base64url), as appliances pin it. */
  get publicKey(): string {
    return toBase64Url(this.key.publicKey);
  }

  /** The public key's short id, as documents carry it. */
  get keyId(): string {
    return this.key.keyId;
  }
}
