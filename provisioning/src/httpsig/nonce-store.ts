/**
 * Remembers the nonces of accepted requests while they could still be replayed (until `created + maxSkew`, after
 * which the clock-skew check refuses the request anyway). Implementations may be shared (a database table) or
 * local ({@link MemoryNonceStore}).
 */
export interface NonceStore {
  /**
   * Records `nonce` for `keyId`; false when it was seen before (or a replay cannot be ruled out). Only called for
   * requests whose signature already verified, so an attacker cannot fill the store.
   */
  remember(
    keyId: string,
    nonce: string,
    createdMs: number,
    expiresMs: number,
    nowMs: number,
  ): boolean | Promise<boolean>;
}

/**
 * A bounded in-memory nonce store for a single hub process. When full of unexpired nonces it evicts the oldest and
 * from then on refuses any request created at or before the evicted one ("cannot rule out a replay"), so a
 * bounded memory never lets a replay through: under overload, clients with old timestamps retry with fresh ones.
 */
export class MemoryNonceStore implements NonceStore {
  private readonly entries = new Map<string, { createdMs: number; expiresMs: number }>();
  private floorMs = -Infinity;

  constructor(private readonly capacity = 100_000) {}

  /** See {@link NonceStore.remember}. */
  remember(keyId: string, nonce: string, createdMs: number, expiresMs: number, nowMs: number): boolean {
    if (createdMs <= this.floorMs) return false;
    const key = `${keyId}\u0000${nonce}`;
    const existing = this.entries.get(key);
    if (existing && existing.expiresMs >= nowMs) return false;
    if (existing) this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.makeRoom(nowMs);
    this.entries.set(key, { createdMs, expiresMs });
    return true;
  }

  /** Number of nonces held (for metrics and tests). */
  get size(): number {
    return this.entries.size;
  }

  private makeRoom(nowMs: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresMs < nowMs) this.entries.delete(key);
    }
    // Evict a tenth at a time so a full store does not sweep on every request.
    const target = this.capacity - Math.max(1, Math.floor(this.capacity / 10));
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
      this.floorMs = Math.max(this.floorMs, entry.createdMs);
    }
  }
}
