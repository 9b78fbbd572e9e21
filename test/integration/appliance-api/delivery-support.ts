import { readlink, readdir } from 'node:fs/promises';
import type { ZonePlanTracks } from '../../../hub/src/appliance-api/delivery/zone-plan-tracks';

/** Plans as delivery sees them, set by the test: zone id -> track ids of its current plan. */
export class TestPlans implements ZonePlanTracks {
  readonly zones = new Map<string, Set<string>>();

  trackIds(zoneId: string): Promise<ReadonlySet<string> | null> {
    return Promise.resolve(this.zones.get(zoneId) ?? null);
  }
}

/** How many of this process's file descriptors are open on `file` (the in-process hub's). */
export async function openDescriptorsOn(file: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    try {
      if ((await readlink(`/proc/self/fd/${fd}`)) === file) count += 1;
    } catch {
      // closed between readdir and readlink
    }
  }
  return count;
}

/** Polls `probe` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
