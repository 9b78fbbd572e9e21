import * as argon2 from 'argon2';

/**
 * argon2id parameters: OWASP's first recommended set (19 MiB, 2 passes, 1 lane). Stored hashes carry their own
 * parameters, so raising these later only needs {@link PasswordHasher.needsRehash} on the next successful login.
 */
export const ARGON2_OPTIONS: Argon2Cost = { memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

/** The tunable cost of argon2id: memory in KiB, passes, lanes. */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Passwords shorter than this are refused; longer than the maximum too, so nobody can make us hash megabytes. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Hashes and verifies user passwords with argon2id. */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: Argon2Cost = ARGON2_OPTIONS) {}

  /** The PHC string to store for `password`. */
  hash(password: string): Promise<string> {
    // argon2's typings declare `type` as the algorithm's name but the binding wants its numeric id (argon2.argon2id).
    const type = argon2.argon2id as unknown as argon2.HashOptions['type'];
    return argon2.hash(password, { ...this.options, type, raw: false });
  }

  /** True when `password` matches `hash`; false (never a throw) for a malformed stored hash. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as a real verification for an unknown account, so response times do not tell an attacker
   * which e-mail addresses have accounts.
   */
  async verifyNobody(password: string): Promise<false> {
    this.dummyHash ??= this.hash('roomtone: no such user');
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** True when `hash` was made with weaker parameters than the current ones. */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, this.options);
    } catch {
      return true;
    }
  }
}
