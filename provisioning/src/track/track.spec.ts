import { createHash } from 'node:crypto';
import { FixedClock } from '../clock';
import { isProvisioningError } from '../errors';
import { createKeystore } from '../keys/keystore';
import { createNativeSodium } from '../sodium/native';
import { TrackDecryptor, type TrackRecipient } from './decryptor';
import { TrackEncryptor } from './encryptor';
import { chunkOffset, encryptedLength, FIXED_PART } from './format';
import { decryptStream, decryptToBuffer, encryptStream } from './stream';

const sodium = createNativeSodium();
const clock = new FixedClock(Date.UTC(2026, 10, 24));
const hubSecret = Buffer.alloc(32, 7);
const appliance = createKeystore(sodium, new Date(clock.now()));
const other = createKeystore(sodium, new Date(clock.now()));
const recipient = (ks = appliance, applianceId: string | null = 'app-1'): TrackRecipient => ({
  publicKey: ks.keys.encryption.publicKey,
  secretKey: ks.keys.encryption.secretKey,
  applianceId,
});

function pattern(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  return out;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

function encryptor(plain: Buffer, overrides: Partial<ConstructorParameters<typeof TrackEncryptor>[1]> = {}) {
  return new TrackEncryptor(sodium, {
    hubSecret,
    recipientPublicKey: appliance.keys.encryption.publicKey,
    applianceId: 'app-1',
    trackId: 'track-42',
    renditionVersion: 3,
    plaintextLength: plain.length,
    plaintextSha256: createHash('sha256').update(plain).digest(),
    chunkSize: 1024,
    ...overrides,
  });
}

async function encrypt(plain: Buffer, overrides: Parameters<typeof encryptor>[1] = {}): Promise<Buffer> {
  return collect(encryptStream(encryptor(plain, overrides), [plain]));
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isProvisioningError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('encrypted track format v1', () => {
  it.each([0, 1, 1023, 1024, 1025, 3 * 1024, 5000])('round-trips %i plaintext bytes', async (length) => {
    const plain = pattern(length);
    const file = await encrypt(plain);
    const e = encryptor(plain);
    expect(file.length).toBe(encryptedLength(e.header));
    expect(await decryptToBuffer(sodium, file, recipient())).toEqual(plain);
  });

  it('decrypts a stream delivered in odd-sized pieces', async () => {
    const plain = pattern(10_000);
    const file = await encrypt(plain);
    const pieces = [];
    for (let i = 0; i < file.length; i += 777) pieces.push(file.subarray(i, i + 777));
    expect(await collect(decryptStream(sodium, pieces, recipient()))).toEqual(plain);
  });

  it('deterministic: the same inputs give identical bytes', async () => {
    const plain = pattern(4000);
    expect((await encrypt(plain)).equals(await encrypt(plain))).toBe(true);
  });

  it('a new rendition version, track, appliance or secret gives a new key and nonce', () => {
    const plain = pattern(2000);
    const base = encryptor(plain);
    for (const change of [
      { renditionVersion: 4 },
      { trackId: 'track-43' },
      { applianceId: 'app-2' },
      { hubSecret: Buffer.alloc(32, 8) },
    ]) {
      const changed = encryptor(plain, change);
      expect(changed.header.fileNonce.equals(base.header.fileNonce)).toBe(false);
      expect(
        Buffer.from(changed.encryptChunk(0, plain.subarray(0, 1024))).equals(
          Buffer.from(base.encryptChunk(0, plain.subarray(0, 1024))),
        ),
      ).toBe(false);
    }
  });

  it('encryptChunkInto, in place in a buffer laid out like the file, gives the same bytes as encryptChunk', async () => {
    const plain = pattern(5000);
    const file = await encrypt(plain);
    const e = encryptor(plain);
    const H = e.header.headerLength;
    // Plaintext chunks at their ciphertext offsets (16-byte gaps), sealed where they lie: the file's body.
    const body = Buffer.alloc(file.length - H, 0xee);
    for (let i = 0; i < e.chunks; i++) {
      const at = chunkOffset(e.header, i) - H;
      const piece = plain.subarray(i * 1024, Math.min(plain.length, (i + 1) * 1024));
      piece.copy(body, at);
      e.encryptChunkInto(i, body.subarray(at, at + piece.length), body.subarray(at, at + piece.length + 16));
    }
    expect(body.equals(file.subarray(H))).toBe(true);
    // Into a separate buffer too, and the plaintext is left alone.
    const out = Buffer.alloc(1040);
    const chunk = Buffer.from(plain.subarray(1024, 2048));
    e.encryptChunkInto(1, chunk, out);
    expect(out.equals(Buffer.from(e.encryptChunk(1, chunk)))).toBe(true);
    expect(chunk.equals(plain.subarray(1024, 2048))).toBe(true);
    expect(() => e.encryptChunkInto(1, chunk, Buffer.alloc(1039))).toThrow(/output must have 1040 bytes, got 1039/);
    expect(() => e.encryptChunkInto(4, chunk, out)).toThrow(/chunk 4 must have 904 bytes/);
  });

  it('seekable: chunk N decrypts alone at its computed offset', async () => {
    const plain = pattern(5000);
    const file = await encrypt(plain);
    const reader = TrackDecryptor.open(sodium, file, recipient());
    expect(reader.chunks).toBe(5);
    const start = chunkOffset(reader.header, 3);
    expect(start).toBe(reader.header.headerLength + 3 * 1040);
    const chunk = reader.decryptChunk(3, file.subarray(start, start + reader.encryptedSizeOf(3)));
    expect(Buffer.from(chunk)).toEqual(plain.subarray(3072, 4096));
    const last = chunkOffset(reader.header, 4);
    expect(Buffer.from(reader.decryptChunk(4, file.subarray(last)))).toEqual(plain.subarray(4096));
  });

  it('Range resume: ranges cut anywhere and fetched separately concatenate to the whole file', async () => {
    const plain = pattern(7000);
    const whole = await encrypt(plain);
    const e = encryptor(plain);
    // A server answering each Range independently: header, then the chunks it covers, re-encrypted on demand.
    const serveRange = (from: number, to: number): Buffer => {
      const parts: Uint8Array[] = [e.header.bytes];
      for (let i = 0; i < e.chunks; i++)
        parts.push(e.encryptChunk(i, plain.subarray(i * 1024, Math.min(plain.length, (i + 1) * 1024))));
      return Buffer.concat(parts).subarray(from, to);
    };
    const cuts = [0, 100, 1500, 1501, 4000, whole.length];
    const joined = Buffer.concat(cuts.slice(1).map((to, i) => serveRange(cuts[i], to)));
    expect(joined.equals(whole)).toBe(true);
  });

  it('refuses a track made for another appliance', async () => {
    const file = await encrypt(pattern(100));
    expect(await failure(decryptToBuffer(sodium, file, recipient(other, null)))).toMatchObject({
      code: 'TRACK_NOT_FOR_THIS_APPLIANCE',
    });
    expect(await failure(decryptToBuffer(sodium, file, recipient(appliance, 'app-9')))).toMatchObject({
      code: 'TRACK_NOT_FOR_THIS_APPLIANCE',
    });
  });

  it('bit flip in chunk 2 => "chunk 2 tampered", and nothing from chunk 2 on is released', async () => {
    const plain = pattern(5000);
    const file = await encrypt(plain);
    const reader = TrackDecryptor.open(sodium, file, recipient());
    file[chunkOffset(reader.header, 2) + 10] ^= 1;
    const released: Uint8Array[] = [];
    const error = await failure(
      (async () => {
        for await (const p of decryptStream(sodium, [file], recipient())) released.push(p);
      })(),
    );
    expect(error).toMatchObject({ code: 'TRACK_CHUNK_TAMPERED' });
    expect(error.message).toMatch(/^chunk 2 tampered/);
    expect(Buffer.concat(released)).toEqual(plain.subarray(0, 2048));
  });

  it('reordered chunks are detected at the first misplaced one', async () => {
    const file = await encrypt(pattern(5000));
    const h = TrackDecryptor.open(sodium, file, recipient()).header;
    const c1 = Buffer.from(file.subarray(chunkOffset(h, 1), chunkOffset(h, 2)));
    file.set(file.subarray(chunkOffset(h, 2), chunkOffset(h, 3)), chunkOffset(h, 1));
    file.set(c1, chunkOffset(h, 2));
    expect((await failure(decryptToBuffer(sodium, file, recipient()))).message).toMatch(/^chunk 1 tampered/);
  });

  it('a chunk spliced from another file of the same appliance is detected', async () => {
    const a = await encrypt(pattern(5000, 1));
    const b = await encrypt(pattern(5000, 2), { trackId: 'track-43' });
    const h = TrackDecryptor.open(sodium, a, recipient()).header;
    a.set(b.subarray(chunkOffset(h, 1), chunkOffset(h, 2)), chunkOffset(h, 1));
    expect((await failure(decryptToBuffer(sodium, a, recipient()))).message).toMatch(/^chunk 1 tampered/);
  });

  it('truncation at a chunk boundary, inside a chunk and inside the header', async () => {
    const file = await encrypt(pattern(5000));
    const h = TrackDecryptor.open(sodium, file, recipient()).header;
    for (const cut of [chunkOffset(h, 4), chunkOffset(h, 2) + 5, h.headerLength, 60, 0]) {
      expect(await failure(decryptToBuffer(sodium, file.subarray(0, cut), recipient()))).toMatchObject({
        code: 'TRACK_TRUNCATED',
      });
    }
  });

  it('dropping the final chunk and marking a middle chunk final are both caught', () => {
    // The final flag is in the associated data: the last chunk cannot pass as a middle one or vice versa.
    const plain = pattern(4096);
    const e = encryptor(plain);
    const asMiddle = Buffer.from(e.encryptChunk(3, plain.subarray(3072)));
    const reader = TrackDecryptor.open(sodium, e.header.bytes, recipient());
    expect(() => reader.decryptChunk(2, asMiddle)).toThrow(/chunk 2 tampered/);
  });

  it('trailing bytes after the final chunk are refused', async () => {
    const file = await encrypt(pattern(100));
    expect(await failure(decryptToBuffer(sodium, Buffer.concat([file, Buffer.from([0])]), recipient()))).toMatchObject({
      code: 'TRACK_TRAILING_DATA',
    });
  });

  it('any header change fails authentication of the key wrap', async () => {
    const file = await encrypt(pattern(100));
    for (const offset of [8, 12, 20, 24, 56, 112, FIXED_PART + 3]) {
      const copy = Buffer.from(file);
      copy[offset] ^= 0x40;
      const error = await failure(decryptToBuffer(sodium, copy, recipient()));
      expect([
        'TRACK_HEADER_TAMPERED',
        'TRACK_HEADER_MALFORMED',
        'TRACK_TRUNCATED',
        'TRACK_NOT_FOR_THIS_APPLIANCE',
      ]).toContain(error.code);
    }
  });

  it('unsupported version and bad magic', async () => {
    const file = await encrypt(pattern(100));
    const v2 = Buffer.from(file);
    v2.writeUInt16BE(2, 4);
    const v2error = await failure(decryptToBuffer(sodium, v2, recipient()));
    expect(v2error).toMatchObject({ code: 'TRACK_UNSUPPORTED_VERSION' });
    expect(v2error.message).toMatch(/^unsupported version: track format version 2/);
    const bad = Buffer.from(file);
    bad[0] = 0;
    expect(await failure(decryptToBuffer(sodium, bad, recipient()))).toMatchObject({ code: 'TRACK_NOT_A_TRACK' });
  });

  it('a wrong plaintext hash from the encryptor is caught after the last chunk', async () => {
    const plain = pattern(3000);
    const file = await collect(encryptStream(encryptor(plain, { plaintextSha256: Buffer.alloc(32) }), [plain]));
    expect(await failure(decryptToBuffer(sodium, file, recipient()))).toMatchObject({ code: 'TRACK_HASH_MISMATCH' });
  });

  it('the encryptor refuses input longer or shorter than declared', async () => {
    const plain = pattern(3000);
    expect(await failure(collect(encryptStream(encryptor(plain), [plain, Buffer.from([1])])))).toMatchObject({
      code: 'TRACK_INPUT_INVALID',
    });
    expect(await failure(collect(encryptStream(encryptor(plain), [plain.subarray(1)])))).toMatchObject({
      code: 'TRACK_INPUT_INVALID',
    });
  });
});
