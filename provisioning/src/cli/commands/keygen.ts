import { type CliCommand, requireOption } from '../../cli-kit';
import { systemClock } from '../../clock';
import { publicKeyId } from '../../encoding';
import { createKeystore, saveKeystore } from '../../keys/keystore';
import { loadSodium } from '../../sodium/load';

/** `keygen --out <keystore.json>`: a fresh appliance keystore, not enrolled anywhere. */
export const keygenCommand: CliCommand = {
  name: 'keygen',
  summary: 'create an appliance keystore (new keys, not enrolled)',
  usage: [
    'usage: roomtone-provision keygen --out <keystore.json> [--force]',
    '',
    'Generates an Ed25519 signing key and an X25519 encryption key and writes them to a new keystore',
    '(mode 0600, written atomically). The keystore has no appliance id until it is enrolled.',
    '  --out <path>   where to write the keystore (refuses to overwrite unless --force)',
    '  --force        replace an existing file',
  ].join('\n'),
  options: { out: { type: 'string' }, force: { type: 'boolean' } },
  async run(values, io) {
    const out = requireOption(values, 'out');
    const sodium = await loadSodium();
    const keystore = createKeystore(sodium, new Date(systemClock.now()));
    await saveKeystore(out, keystore, { overwrite: values.force === true });
    io.stdout(`wrote keystore ${out} (signing key ${publicKeyId(keystore.keys.signing.publicKey)}, not enrolled)`);
    return 0;
  },
};
