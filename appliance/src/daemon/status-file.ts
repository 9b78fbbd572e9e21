import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplianceState } from '@roomtone/provisioning';
import { type PlaybackStatus, replaceFileAsync } from '../playback';

export const STATUS_FILE = 'status.json';
/** The daemon writes status every 2 s; older than this, it is not running (or hung). */
export const STATUS_STALE_MS = 10_000;

/** `<data dir>/status.json`: what the daemon is doing, for `roomtone-appliance status` and installers. */
export interface StatusDoc {
  version: 1;
  /** Wall clock when written (to judge staleness on the same machine). */
  writtenAt: string;
  pid: number;
  running: boolean;
  startedAt: string;
  state: ApplianceState;
  reason: string | null;
  since: string;
  plan: { id: string | null; until: string | null };
  offlineSafeUntil: string | null;
  clock: PlaybackStatus['clock'];
  cache: { tracks: number; bytes: number; budgetBytes: number; missing: number } | null;
  nowPlaying: PlaybackStatus['nowPlaying'];
  errors: { at: string; message: string }[];
  playLog: { pending: number; lastSequence: number } | null;
  audio: { socket: string; sink: string | null; connected: boolean };
  hub: { online: boolean; lastHubTime: string | null };
  /** Sync's own report (last check-in, downloads, errors), when the daemon runs with sync. */
  sync?: unknown;
}

export function statusPath(dataDir: string): string {
  return join(dataDir, STATUS_FILE);
}

/** Replaces status.json atomically (readers never see half a file), off the event loop's critical path (no fsync). */
export async function writeStatus(dataDir: string, doc: StatusDoc): Promise<void> {
  await replaceFileAsync(statusPath(dataDir), `${JSON.stringify(doc, null, 2)}\n`, 0o644);
}

/** Reads status.json; null when there is none (the daemon never ran with this data dir). */
export function readStatus(dataDir: string): StatusDoc | null {
  const path = statusPath(dataDir);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as StatusDoc;
}
