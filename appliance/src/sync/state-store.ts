import { readFileSync } from 'node:fs';
import { writeFileAtomic, type SignedDocument } from '@roomtone/provisioning';

/** What sync keeps across restarts: the last good signed documents exactly as the hub sent them. */
export interface SyncState {
  plan: SignedDocument | null;
  planEtag: string | null;
  licence: SignedDocument | null;
  licenceEtag: string | null;
  /** The last signed hub time and the wall clock when it arrived (for `status`; not a time anchor after a restart). */
  hubTime: SignedDocument | null;
  hubTimeReceivedWallMs: number | null;
  /** This appliance's zone, learned from its signed licence (or its first verified plan). */
  zoneId: string | null;
}

export const EMPTY_STATE: SyncState = {
  plan: null,
  planEtag: null,
  licence: null,
  licenceEtag: null,
  hubTime: null,
  hubTimeReceivedWallMs: null,
  zoneId: null,
};

/** `<data dir>/sync-state.json`, written atomically (temp file, fsync, rename, fsync dir). */
export class StateStore {
  constructor(readonly path: string) {}

  /** The stored state; a missing or damaged file is an empty state (documents are re-verified by the caller). */
  load(): SyncState {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<SyncState>;
      return { ...EMPTY_STATE, ...parsed };
    } catch {
      return { ...EMPTY_STATE };
    }
  }

  async save(state: SyncState): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(state)}\n`);
  }
}
