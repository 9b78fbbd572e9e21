import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { planBodyRef, writeFileAtomic, type PlanBodyRef } from '@roomtone/provisioning';

const NAME = /^[0-9a-f]{64}\.json$/;

/** A body whose bytes do not match the reference the signed plan carries. */
export class PlanBodyMismatch extends Error {
  constructor(ref: PlanBodyRef, got: PlanBodyRef, where: string) {
    super(
      `plan body ${ref.sha256} from ${where} has SHA-256 ${got.sha256} and ${got.bytes} bytes, but the signed plan names ${ref.bytes} bytes with that hash: refusing it`,
    );
    this.name = 'PlanBodyMismatch';
  }
}

/** Checks bytes against a reference; throws PlanBodyMismatch naming both when they differ. */
export function checkBody(ref: PlanBodyRef, bytes: Uint8Array, where: string): void {
  if (bytes.length !== ref.bytes)
    throw new PlanBodyMismatch(ref, { sha256: '(not hashed)', bytes: bytes.length }, where);
  const got = planBodyRef(bytes);
  if (got.sha256 !== ref.sha256) throw new PlanBodyMismatch(ref, got, where);
}

/**
 * `<data dir>/plan-bodies/<sha256>.json`: the bodies (plan format 2) of the plan sync holds, each written atomically
 * (temp file, fsync, rename, fsync dir) before the state file names the plan, so a restart offline finds them.
 * A file is trusted only after its hash is checked again.
 */
export class PlanBodyStore {
  constructor(readonly dir: string) {}

  /** The body's bytes when held and intact; null when missing or damaged (a damaged file is deleted). */
  read(ref: PlanBodyRef): Buffer | null {
    const path = this.path(ref.sha256);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return null;
    }
    try {
      checkBody(ref, bytes, path);
      return bytes;
    } catch {
      rmSync(path, { force: true });
      return null;
    }
  }

  async write(ref: PlanBodyRef, bytes: Uint8Array): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await writeFileAtomic(this.path(ref.sha256), bytes);
  }

  /** Deletes every body but these (called after the state file names the plan that uses them). */
  retain(refs: readonly PlanBodyRef[]): void {
    const keep = new Set(refs.map((r) => `${r.sha256}.json`));
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (NAME.test(name) && !keep.has(name)) rmSync(join(this.dir, name), { force: true });
    }
  }

  private path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`plan body hash ${sha256.slice(0, 80)} is not SHA-256 hex`);
    return join(this.dir, `${sha256}.json`);
  }
}
