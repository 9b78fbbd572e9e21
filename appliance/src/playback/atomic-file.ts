import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a small informational file atomically without blocking the event loop and without fsync: readers never
 * see a torn file, but a power cut may lose the latest version. For status.json and the recent-plays history, which
 * the player's thread must never wait for (a slow fsync on a busy disk would underrun the audio buffer).
 */
export async function replaceFileAsync(path: string, data: string, mode = 0o600): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${(tempCounter += 1)}.tmp`);
  try {
    await fsp.writeFile(temp, data, { mode });
    await fsp.rename(temp, path);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

let tempCounter = 0;
