import { promises as fs } from 'node:fs';
import { ProvisioningError, type ProvisioningErrorCode } from '../errors';

/**
 * Throws `code` when `path` is readable or writable by group or others. Runs before the file is read, so a
 * secret that has been exposed is not also used.
 */
export async function assertOwnerOnly(path: string, what: string, code: ProvisioningErrorCode): Promise<void> {
  const stat = await fs.stat(path);
  if (!stat.isFile()) {
    throw new ProvisioningError(
      code === 'KEYSTORE_PERMISSIONS' ? 'KEYSTORE_CORRUPT' : code,
      `${what} ${path} is not a regular file: give the path of the ${what} file`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    throw new ProvisioningError(
      code,
      `${what} ${path} is accessible by other users (mode ${mode}): run 'chmod 600 ${path}', and replace the keys if others may have copied it`,
    );
  }
}
