import {
  type CliCommand,
  decryptFile,
  loadKeystore,
  loadSodium,
  requireOption,
  trackRecipientOf,
} from '@roomtone/provisioning';

/** `decrypt --keystore <ks> --in <file> --out <file>`: check and decrypt a track made for this appliance. */
export const decryptCommand: CliCommand = {
  name: 'decrypt',
  summary: 'decrypt a track encrypted for this appliance',
  usage: [
    'usage: roomtone-appliance decrypt --keystore <keystore.json> --in <encrypted file> --out <file>',
    '',
    'Decrypts and verifies every chunk and the plaintext SHA-256. The output appears only when all checks pass;',
    'otherwise the command exits 2 with one line naming the failure (not for this appliance, chunk N tampered,',
    'truncated, unsupported version, keystore problems) and leaves no output file.',
  ].join('\n'),
  options: { keystore: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' } },
  async run(values, io) {
    const keystorePath = requireOption(values, 'keystore');
    const inPath = requireOption(values, 'in');
    const outPath = requireOption(values, 'out');
    const sodium = await loadSodium();
    const keystore = await loadKeystore(sodium, keystorePath);
    await decryptFile(sodium, inPath, outPath, trackRecipientOf(keystore));
    io.stdout(`wrote ${outPath}`);
    return 0;
  },
};
