import type { Provider } from '@nestjs/common';
import { HubSigningKey, loadOrCreateHubSigningKey, type Sodium } from '@roomtone/provisioning';
import { AppConfig } from '../config/app-config';
import { SODIUM } from './sodium.provider';

/**
 * The hub's Ed25519 key, resolved once at boot: ROOMTONE_HUB_SIGNING_KEY when configured, else
 * `<ROOMTONE_DATA_DIR>/hub-signing-key.json`, created on first start with mode 0600. It lives outside the database on
 * purpose: a database dump must not let anyone sign plans or licences. HubSigningKey prints only its public half,
 * so logging it by mistake does not leak the seed.
 */
export const hubKeyProvider: Provider = {
  provide: HubSigningKey,
  inject: [SODIUM, AppConfig],
  useFactory: (sodium: Sodium, config: AppConfig): Promise<HubSigningKey> =>
    loadOrCreateHubSigningKey(sodium, { configuredSeed: config.hubSigningKey, dataDir: config.dataDir }),
};
