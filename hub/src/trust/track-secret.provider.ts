import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Provider } from '@nestjs/common';
import { fromBase64Url } from '@roomtone/provisioning';
import { AppConfig } from '../config/app-config';

/** Bytes of the track-encryption secret (provisioning/FORMAT.md: the hub secret S). */
export const TRACK_SECRET_BYTES = 32;

/** The file under the data directory that keeps the secret when ROOMTONE_TRACK_SECRET is not set. */
export const TRACK_SECRET_FILE = 'track-secret';

/**
 * The hub secret S every content key is derived from (FORMAT.md "Encrypting"). Kept outside the database, like the
 * hub signing key: a database dump must not let anyone derive track keys. Printing, logging or serialising the object
 * never shows the bytes.
 */
export class TrackSecret {
  readonly #bytes: Uint8Array;
  /** SHA-256 of the secret: names it (in ETags) without revealing it, so a new secret means new validators. */
  readonly fingerprint: Buffer;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== TRACK_SECRET_BYTES) throw new Error(`a track secret is ${TRACK_SECRET_BYTES} bytes`);
    this.#bytes = Uint8Array.from(bytes);
    this.fingerprint = createHash('sha256').update(this.#bytes).digest();
  }

  /** The secret itself, for TrackEncryptor's `hubSecret`. Never log it. */
  bytes(): Uint8Array {
    return this.#bytes;
  }

  toString(): string {
    return 'TrackSecret(redacted)';
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * The track secret: `configured` (ROOMTONE_TRACK_SECRET, base64url of 32 bytes) when given, else the 32 raw bytes of
 * `<dataDir>/track-secret`, created on first start with mode 0600. Creation is atomic and first-writer-wins (a
 * complete temp file is hard-linked into place, which fails if another hub got there first; then its secret is read),
 * so hubs sharing a data directory never end up with different secrets.
 */
export async function loadOrCreateTrackSecret(options: { configured?: string; dataDir: string }): Promise<TrackSecret> {
  if (options.configured !== undefined && options.configured !== '') {
    const bytes = fromBase64Url(options.configured.trim(), TRACK_SECRET_BYTES);
    if (!bytes) {
      throw new Error(
        `ROOMTONE_TRACK_SECRET must be base64url of ${TRACK_SECRET_BYTES} bytes (43 characters); unset it to keep the secret in ROOMTONE_DATA_DIR/${TRACK_SECRET_FILE}`,
      );
    }
    return new TrackSecret(bytes);
  }
  const file = path.join(options.dataDir, TRACK_SECRET_FILE);
  const existing = await readSecretFile(file);
  if (existing) return existing;
  await fs.mkdir(options.dataDir, { recursive: true });
  const temp = path.join(options.dataDir, `.${TRACK_SECRET_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(randomBytes(TRACK_SECRET_BYTES));
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
  const created = await readSecretFile(file);
  if (!created) throw new Error(`${file} vanished while it was being created; start the hub again`);
  return created;
}

async function readSecretFile(file: string): Promise<TrackSecret | null> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (bytes.length !== TRACK_SECRET_BYTES) {
    throw new Error(
      `${file} must hold exactly ${TRACK_SECRET_BYTES} bytes (it has ${bytes.length}); restore it from a backup, or remove it only if no appliance holds tracks yet`,
    );
  }
  return new TrackSecret(bytes);
}

/** Provides {@link TrackSecret}, resolved once at boot (AppConfig.trackSecret, else the data directory's file). */
export const trackSecretProvider: Provider = {
  provide: TrackSecret,
  inject: [AppConfig],
  useFactory: (config: AppConfig): Promise<TrackSecret> =>
    loadOrCreateTrackSecret({ configured: config.trackSecret, dataDir: config.dataDir }),
};
