import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileError } from '../errors';
import type { Sodium } from '../sodium/backend';
import { type TrackRecipient } from './decryptor';
import { type EncryptionParams, TrackEncryptor } from './encryptor';
import { decryptStream, encryptStream } from './stream';

/** SHA-256 and length of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: Buffer; length: number }> {
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    length += chunk.length;
  }
  return { sha256: hash.digest(), length };
}

/**
 * Encrypts the file at `inPath` for one appliance into `outPath` (hashing it first, then encrypting in a second
 * pass; both in constant memory). The output appears under its name only when complete.
 */
export async function encryptFile(
  sodium: Sodium,
  params: Omit<EncryptionParams, 'plaintextLength' | 'plaintextSha256'>,
  inPath: string,
  outPath: string,
): Promise<TrackEncryptor> {
  const { sha256, length } = await hashFile(inPath).catch((error: unknown) => {
    throw fileError('read', inPath, error);
  });
  const encryptor = new TrackEncryptor(sodium, { ...params, plaintextLength: length, plaintextSha256: sha256 });
  const source = createReadStream(inPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  await writeThroughTemp(inPath, outPath, 0o644, encryptStream(encryptor, source));
  return encryptor;
}

/**
 * Decrypts `inPath` into `outPath`. Plaintext goes to a 0600 temp file beside `outPath` that is renamed only after
 * the final chunk and the plaintext hash verify; on any failure it is deleted, so no output file is left behind.
 */
export async function decryptFile(
  sodium: Sodium,
  inPath: string,
  outPath: string,
  recipient: TrackRecipient,
): Promise<void> {
  const source = createReadStream(inPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  await writeThroughTemp(inPath, outPath, 0o600, decryptStream(sodium, source, recipient));
}

async function writeThroughTemp(
  inputPath: string,
  outPath: string,
  mode: number,
  parts: AsyncIterable<Uint8Array>,
): Promise<void> {
  const temp = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await fs.open(temp, 'wx', mode).catch((error: unknown) => {
    throw fileError('write', outPath, error);
  });
  let ok = false;
  try {
    const iterator = parts[Symbol.asyncIterator]();
    for (;;) {
      // Errors from the source are the input's (errno) or the decoder's (already typed); errors writing are ours.
      const next = await iterator.next().catch((error: unknown) => {
        throw fileError('read', inputPath, error);
      });
      if (next.done) break;
      await handle.write(next.value).catch((error: unknown) => {
        throw fileError('write', outPath, error);
      });
    }
    await handle.sync();
    ok = true;
  } finally {
    await handle.close();
    if (!ok) await fs.rm(temp, { force: true });
  }
  try {
    await fs.rename(temp, outPath);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw fileError('write', outPath, error);
  }
}
