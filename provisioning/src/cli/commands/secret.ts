import { type CliCommand, requireOption } from '../../cli-kit';
import { toBase64Url } from '../../encoding';
import { ProvisioningError } from '../../errors';
import { promises as fs } from 'node:fs';
import { loadSodium } from '../../sodium/load';
import { writeFileAtomic } from '../../keys/atomic-write';

/** `secret --out <file>`: a 32-byte hub secret for `encrypt --secret-file` (base64url text, mode 0600). */
export const secretCommand: CliCommand = {
  name: 'secret',
  summary: 'create a hub secret file for repeatable encryption',
  usage: [
    'usage: roomtone-provision secret --out <secret-file>',
    '',
    'Writes 32 random bytes as base64url text with mode 0600. Give it to `encrypt --secret-file` so the same',
    '(appliance, track, rendition version) always encrypts to the same bytes (resumable downloads).',
  ].join('\n'),
  options: { out: { type: 'string' } },
  async run(values, io) {
    const out = requireOption(values, 'out');
    const exists = await fs.stat(out).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new ProvisioningError('KEYSTORE_EXISTS', `${out} already exists: a hub secret is never overwritten`);
    const sodium = await loadSodium();
    await writeFileAtomic(out, `${toBase64Url(sodium.randomBytes(32))}\n`, 0o600);
    io.stdout(`wrote hub secret ${out}`);
    return 0;
  },
};
