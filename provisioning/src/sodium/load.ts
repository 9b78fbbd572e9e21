import { ProvisioningError } from '../errors';
import type { Sodium, SodiumBackendName } from './backend';
import { createNativeSodium } from './native';
import { createWasmSodium } from './wasm';

const cache = new Map<string, Promise<Sodium>>();

/**
 * The libsodium build to use: `sodium-native` when its addon loads on this machine, else the WebAssembly build.
 * Pass a name to force one (benchmarks, interop tests, or `ROOMTONE_SODIUM=libsodium-wrappers` on an odd platform).
 * Cached: every caller shares one instance.
 */
export function loadSodium(prefer?: SodiumBackendName): Promise<Sodium> {
  const wanted = prefer ?? (process.env.ROOMTONE_SODIUM as SodiumBackendName | undefined) ?? 'auto';
  let pending = cache.get(wanted);
  if (!pending) {
    pending = pick(wanted);
    cache.set(wanted, pending);
  }
  return pending;
}

async function pick(wanted: string): Promise<Sodium> {
  if (wanted === 'libsodium-wrappers') return createWasmSodium();
  try {
    return createNativeSodium();
  } catch (error) {
    if (wanted === 'sodium-native') {
      throw new ProvisioningError(
        'SODIUM_UNAVAILABLE',
        `sodium-native does not load here (${(error as Error).message}); unset ROOMTONE_SODIUM to use the WebAssembly build`,
      );
    }
    return createWasmSodium();
  }
}
