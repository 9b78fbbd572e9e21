/** Where the appliance keeps its keystore unless told otherwise (root-owned, 0600, survives reinstalls). */
export const DEFAULT_KEYSTORE_PATH = '/var/lib/roomtone/keystore.json';

/** The keystore path: `--keystore`, else $ROOMTONE_KEYSTORE, else {@link DEFAULT_KEYSTORE_PATH}. */
export function keystorePath(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined && option !== '') return option;
  const fromEnv = env.ROOMTONE_KEYSTORE;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_KEYSTORE_PATH;
}
