import type { EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';

/**
 * Inside a transaction, holds the zone row until commit, so two enrolments or replacements for one zone cannot both
 * see it empty. PostgreSQL only: on SQLite this feature's transactions already run one at a time (SerialQueue) and
 * SQLite has no row locks.
 */
export async function lockZone(manager: EntityManager, zoneId: string): Promise<void> {
  if (manager.connection.options.type === 'postgres') {
    await manager.query('SELECT id FROM zones WHERE id = $1 FOR UPDATE', [zoneId]);
  }
}

/** True for a primary-key/unique violation on SQLite (better-sqlite3) or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
}
