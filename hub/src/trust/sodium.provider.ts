import type { Provider } from '@nestjs/common';
import { loadSodium, type Clock as ProvisioningClock, type Sodium } from '@roomtone/provisioning';
import type { Clock } from '../common/time/clock';

/** Injection token for the libsodium backend the hub uses (sodium-native when it loads, else WebAssembly). */
export const SODIUM = Symbol('SODIUM');

/** Provides {@link SODIUM}; loaded once per process. */
export const sodiumProvider: Provider = { provide: SODIUM, useFactory: (): Promise<Sodium> => loadSodium() };

/** The hub's Clock in the shape the provisioning library takes (epoch milliseconds), so tests pin both at once. */
export function provisioningClock(clock: Clock): ProvisioningClock {
  return { now: () => clock.now().getTime() };
}
