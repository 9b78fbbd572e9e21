import { promises as fs } from 'node:fs';
import { type CliCommand, requireOption, UsageError } from '../../cli-kit';
import { fromBase64Url } from '../../encoding';
import { fileError, ProvisioningError } from '../../errors';
import { assertOwnerOnly } from '../../keys/file-permissions';
import { loadPublicIdentity } from '../../keys/public-key-file';
import { loadSodium } from '../../sodium/load';
import { encryptFile } from '../../track/files';

/** `encrypt --for <keystore|public-key file> --track-id <id> --in <file> --out <file>`. */
export const encryptCommand: CliCommand = {
  name: 'encrypt',
  summary: 'encrypt a track for one appliance (FORMAT.md)',
  usage: [
    'usage: roomtone-provision encrypt --for <keystore or public-key file> --track-id <id> --in <file> --out <file>',
    '                                  [--rendition-version <n>] [--secret-file <file>] [--chunk-size <bytes>]',
    '',
    'Encrypts --in for the appliance whose keys --for holds (a keystore or a file from `pubkey`).',
    '  --rendition-version <n>  version of this rendition (default 1); change it whenever the bytes change',
    '  --secret-file <file>     hub secret (from `secret`): the same inputs then give identical bytes, so',
    '                           downloads resume with HTTP Range. Without it a fresh random secret is used:',
    '                           the file still decrypts, but re-encrypting gives different bytes.',
    '  --chunk-size <bytes>     plaintext bytes per chunk (default 65536; 1024..16777216)',
  ].join('\n'),
  options: {
    for: { type: 'string' },
    'track-id': { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    'rendition-version': { type: 'string' },
    'secret-file': { type: 'string' },
    'chunk-size': { type: 'string' },
  },
  async run(values, io) {
    const forPath = requireOption(values, 'for');
    const trackId = requireOption(values, 'track-id');
    const inPath = requireOption(values, 'in');
    const outPath = requireOption(values, 'out');
    const renditionVersion = integerOption(values['rendition-version'], 'rendition-version', 1);
    const chunkSize = integerOption(values['chunk-size'], 'chunk-size', 65_536);
    const sodium = await loadSodium();
    const identity = await loadPublicIdentity(sodium, forPath);
    const secretFile = values['secret-file'];
    const hubSecret = typeof secretFile === 'string' ? await readSecret(secretFile) : sodium.randomBytes(32);
    const stat = await fs.stat(inPath).catch((error: unknown) => {
      throw fileError('read', inPath, error);
    });
    if (!stat.isFile()) throw new UsageError(`--in ${inPath} is not a regular file`);
    const encryptor = await encryptFile(
      sodium,
      {
        hubSecret,
        recipientPublicKey: identity.publicKeys.encryption,
        applianceId: identity.applianceId ?? '',
        trackId,
        renditionVersion,
        chunkSize,
      },
      inPath,
      outPath,
    );
    io.stdout(
      `wrote ${outPath}: ${encryptor.header.plaintextLength} bytes in ${encryptor.chunks} chunks for ${identity.applianceId ?? 'an unenrolled appliance'}`,
    );
    return 0;
  },
};

function integerOption(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value))
    throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}

async function readSecret(path: string): Promise<Uint8Array> {
  await assertOwnerOnly(path, 'hub secret file', 'HUB_KEY_INVALID');
  const secret = fromBase64Url((await fs.readFile(path, 'utf8')).trim(), 32);
  if (!secret)
    throw new ProvisioningError(
      'HUB_KEY_INVALID',
      `${path} does not hold a base64url 32-byte secret: create one with 'roomtone-provision secret --out <file>'`,
    );
  return secret;
}
