import { inspect } from 'node:util';

/**
 * Secret key material that cannot leak through logging: console.log, util.inspect, JSON.stringify and string
 * interpolation all print `[redacted]`. The bytes are reachable only through {@link SecretBytes.expose}, so every
 * use of a secret is a visible, greppable call.
 */
export class SecretBytes {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** The secret itself; callers must not log or persist it except through the keystore writer. */
  expose(): Uint8Array {
    return this.#bytes;
  }

  /** Length in bytes (not secret). */
  get length(): number {
    return this.#bytes.length;
  }

  /** Redacted. */
  toJSON(): string {
    return '[redacted]';
  }

  /** Redacted. */
  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'SecretBytes [redacted]';
  }
}
