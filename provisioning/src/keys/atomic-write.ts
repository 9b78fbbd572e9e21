import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileError } from '../errors';

/**
 * Writes `data` to `path` so that a crash at any moment leaves either the old file or the new one, never a torn
 * mix: temp file in the same directory (same file system, so rename is atomic), fsync the file, rename, fsync the
 * directory so the rename itself is durable. The file is created with `mode` (0600 by default) before any byte
 * is written, so a secret is never readable by others even briefly.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  try {
    await writeAtomic(path, data, mode);
  } catch (error) {
    throw fileError('write', path, error);
  }
}

async function writeAtomic(path: string, data: Uint8Array | string, mode: number): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode); // the umask may have narrowed or widened nothing, but be exact
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  const dirHandle = await fs.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
