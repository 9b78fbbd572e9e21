import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns';

/**
 * A nonce of an accepted signed request, kept until the request could no longer pass the clock-skew check. In the
 * database (not process memory) so that several stateless hubs behind a load balancer refuse each other's replays:
 * the primary key makes the second insert of (key, nonce) fail on every hub.
 */
@Entity({ name: 'signature_nonces' })
@Index('IDX_signature_nonces_expires', ['expiresAtMs'])
export class SignatureNonce {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 128 })
  keyId!: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  nonce!: string;

  /** Epoch milliseconds (hot path: compared on every cleanup). */
  @Column({ name: 'expires_at_ms', type: 'bigint', transformer: bigintNumber })
  expiresAtMs!: number;
}
