import { type CliCommand, requireOption } from '../../cli-kit';
import { writeFileAtomic } from '../../keys/atomic-write';
import { loadKeystore } from '../../keys/keystore';
import { publicIdentityOf, serializePublicKeyFile } from '../../keys/public-key-file';
import { loadSodium } from '../../sodium/load';

/** `pubkey --keystore <ks> --out <file>`: export the public keys (safe to share) for `encrypt --for`. */
export const pubkeyCommand: CliCommand = {
  name: 'pubkey',
  summary: "export an appliance's public keys (for encrypt --for)",
  usage: [
    'usage: roomtone-provision pubkey --keystore <keystore.json> --out <public-keys.json>',
    '',
    "Writes the keystore's public keys and appliance id as a public-key file: JSON",
    '{"format":"roomtone-appliance-public-keys","version":1,"applianceId":...,"signing":...,"encryption":...}',
    '(keys in base64url). It holds no secret and can be sent to whoever encrypts tracks for the appliance.',
  ].join('\n'),
  options: { keystore: { type: 'string' }, out: { type: 'string' } },
  async run(values, io) {
    const keystorePath = requireOption(values, 'keystore');
    const out = requireOption(values, 'out');
    const keystore = await loadKeystore(await loadSodium(), keystorePath);
    await writeFileAtomic(out, serializePublicKeyFile(publicIdentityOf(keystore)), 0o644);
    io.stdout(`wrote public keys ${out}`);
    return 0;
  },
};
