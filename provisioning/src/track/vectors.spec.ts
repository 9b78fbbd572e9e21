import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProvisioningError } from '../errors';
import { SecretBytes } from '../keys/secret-bytes';
import { createNativeSodium } from '../sodium/native';
import { TrackEncryptor } from './encryptor';
import { decryptToBuffer, encryptStream } from './stream';

interface Vector {
  name: string;
  inputs: {
    hubSecret: string;
    recipientSecretKey: string;
    recipientPublicKey: string;
    applianceId: string;
    trackId: string;
    renditionVersion: number;
    chunkSize: number;
    plaintext: string;
  };
  encrypted: string;
}
const file = JSON.parse(readFileSync(join(__dirname, '../../test-vectors/track-v1.json'), 'utf8')) as {
  vectors: Vector[];
  negative: { name: string; encrypted: string; error: string; chunk?: number }[];
};
const sodium = createNativeSodium();
const h = (s: string) => Buffer.from(s, 'hex');
const recipientOf = (v: Vector) => ({
  publicKey: h(v.inputs.recipientPublicKey),
  secretKey: new SecretBytes(h(v.inputs.recipientSecretKey)),
  applianceId: v.inputs.applianceId || null,
});

describe('committed test vectors (provisioning/test-vectors/track-v1.json)', () => {
  it.each(file.vectors.map((v) => [v.name, v] as const))('library reproduces and decrypts: %s', async (_name, v) => {
    const plaintext = h(v.inputs.plaintext);
    const encryptor = new TrackEncryptor(sodium, {
      hubSecret: h(v.inputs.hubSecret),
      recipientPublicKey: h(v.inputs.recipientPublicKey),
      applianceId: v.inputs.applianceId,
      trackId: v.inputs.trackId,
      renditionVersion: v.inputs.renditionVersion,
      chunkSize: v.inputs.chunkSize,
      plaintextLength: plaintext.length,
      plaintextSha256: createHash('sha256').update(plaintext).digest(),
    });
    const parts: Uint8Array[] = [];
    for await (const p of encryptStream(encryptor, [plaintext])) parts.push(p);
    expect(Buffer.concat(parts).toString('hex')).toBe(v.encrypted);
    expect(await decryptToBuffer(sodium, h(v.encrypted), recipientOf(v))).toEqual(plaintext);
  });

  it.each(file.negative.map((n) => [n.name, n] as const))(
    'negative vector fails as specified: %s',
    async (_name, n) => {
      try {
        await decryptToBuffer(sodium, h(n.encrypted), recipientOf(file.vectors[0]));
        throw new Error('decrypted a negative vector');
      } catch (error) {
        if (!isProvisioningError(error)) throw error;
        expect(error.code).toBe(n.error);
        if (n.chunk !== undefined) expect(error.details.chunk).toBe(n.chunk);
      }
    },
  );
});
