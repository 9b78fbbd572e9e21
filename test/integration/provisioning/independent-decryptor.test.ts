// A decryptor written from provisioning/FORMAT.md alone, on raw libsodium (the WebAssembly build) and node:crypto,
// importing nothing from @roomtone/provisioning: if the specification were incomplete or wrong, this would not
// decrypt the committed test vectors.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers';

const vectors = JSON.parse(
  readFileSync(join(__dirname, '../../../provisioning/test-vectors/track-v1.json'), 'utf8'),
) as {
  vectors: { name: string; inputs: { recipientSecretKey: string; plaintext: string }; encrypted: string }[];
  negative: { name: string; encrypted: string; error: string; chunk?: number }[];
};

function decryptFromSpec(file: Buffer, r: Uint8Array): Buffer {
  if (file.subarray(0, 4).toString('latin1') !== 'RTTK') throw new Error('TRACK_NOT_A_TRACK');
  if (file.readUInt16BE(4) !== 1) throw new Error('TRACK_UNSUPPORTED_VERSION');
  const H = file.readUInt16BE(6);
  if (file.length < H) throw new Error('TRACK_TRUNCATED');
  const C = file.readUInt32BE(8);
  const L = Number(file.readBigUInt64BE(12));
  const N = file.subarray(56, 80);
  const R = file.subarray(80, 112);
  const E = file.subarray(112, 144);
  const a = file.readUInt16BE(144);
  const t = file.readUInt16BE(146 + a);
  if (148 + a + t + 48 !== H) throw new Error('TRACK_HEADER_MALFORMED');
  if (!Buffer.from(sodium.crypto_scalarmult_base(r)).equals(R)) throw new Error('TRACK_NOT_FOR_THIS_APPLIANCE');
  const prefix = file.subarray(0, H - 48);
  const W = file.subarray(H - 48, H);
  const shared = sodium.crypto_scalarmult(r, E);
  const kek = sodium.crypto_generichash(32, Buffer.concat([Buffer.from('roomtone-track-kek-v1'), E, R]), shared);
  let K: Uint8Array;
  try {
    K = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      W,
      prefix,
      sodium.crypto_generichash(24, prefix, null),
      kek,
    );
  } catch {
    throw new Error('TRACK_HEADER_TAMPERED');
  }
  const headerHash = sodium.crypto_generichash(32, file.subarray(0, H), null);
  const n = Math.max(1, Math.ceil(L / C));
  const out: Uint8Array[] = [];
  let offset = H;
  for (let i = 0; i < n; i++) {
    const size = (i < n - 1 ? C : L - (n - 1) * C) + 16;
    if (offset + size > file.length) throw Object.assign(new Error('TRACK_TRUNCATED'), { chunk: i });
    const nonce = Buffer.from(N);
    nonce.writeBigUInt64BE(nonce.readBigUInt64BE(16) ^ BigInt(i), 16);
    const ad = Buffer.alloc(41);
    Buffer.from(headerHash).copy(ad);
    ad.writeBigUInt64BE(BigInt(i), 32);
    ad[40] = i === n - 1 ? 1 : 0;
    try {
      out.push(
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, file.subarray(offset, offset + size), ad, nonce, K),
      );
    } catch {
      throw Object.assign(new Error('TRACK_CHUNK_TAMPERED'), { chunk: i });
    }
    offset += size;
  }
  if (offset !== file.length) throw new Error('TRACK_TRAILING_DATA');
  const plain = Buffer.concat(out);
  if (!createHash('sha256').update(plain).digest().equals(file.subarray(24, 56)))
    throw new Error('TRACK_HASH_MISMATCH');
  return plain;
}

describe('FORMAT.md is enough to write a decryptor', () => {
  beforeAll(async () => {
    await sodium.ready;
  });

  it.each(vectors.vectors.map((v) => [v.name, v] as const))(
    'independent decryptor recovers the plaintext: %s',
    (_n, v) => {
      expect(
        decryptFromSpec(Buffer.from(v.encrypted, 'hex'), Buffer.from(v.inputs.recipientSecretKey, 'hex')).toString(
          'hex',
        ),
      ).toBe(v.inputs.plaintext);
    },
  );

  it.each(vectors.negative.map((v) => [v.name, v] as const))(
    'independent decryptor reports the specified failure: %s',
    (_n, v) => {
      const key = Buffer.from(vectors.vectors[0].inputs.recipientSecretKey, 'hex');
      let caught: (Error & { chunk?: number }) | undefined;
      try {
        decryptFromSpec(Buffer.from(v.encrypted, 'hex'), key);
      } catch (error) {
        caught = error as Error & { chunk?: number };
      }
      expect(caught?.message).toBe(v.error);
      if (v.chunk !== undefined) expect(caught?.chunk).toBe(v.chunk);
    },
  );
});
