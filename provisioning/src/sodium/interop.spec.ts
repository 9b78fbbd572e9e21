import { createHash } from 'node:crypto';
import { TrackDecryptor } from '../track/decryptor';
import { TrackEncryptor } from '../track/encryptor';
import { decryptToBuffer, encryptStream } from '../track/stream';
import { generateApplianceKeys } from '../keys/appliance-keys';
import type { Sodium } from './backend';
import { createNativeSodium } from './native';
import { createWasmSodium } from './wasm';

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

describe('sodium-native and libsodium-wrappers interoperate', () => {
  let native: Sodium;
  let wasm: Sodium;
  beforeAll(async () => {
    native = createNativeSodium();
    wasm = await createWasmSodium();
  });

  it('both builds load and name themselves', () => {
    expect([native.name, wasm.name]).toEqual(['sodium-native', 'libsodium-wrappers']);
  });

  it('identical Ed25519 keys and signatures, each verifies the other', () => {
    const seed = Buffer.alloc(32, 9);
    const a = native.signSeedKeypair(seed);
    const b = wasm.signSeedKeypair(seed);
    expect(Buffer.from(a.publicKey)).toEqual(Buffer.from(b.publicKey));
    const msg = Buffer.from('roomtone');
    const sa = native.signDetached(msg, a.secretKey);
    expect(Buffer.from(wasm.signDetached(msg, b.secretKey))).toEqual(Buffer.from(sa));
    expect(wasm.verifyDetached(sa, msg, a.publicKey)).toBe(true);
    expect(native.verifyDetached(wasm.signDetached(msg, b.secretKey), msg, b.publicKey)).toBe(true);
    expect(native.verifyDetached(sa, Buffer.from('roomtonE'), a.publicKey)).toBe(false);
    expect(wasm.verifyDetached(sa.subarray(1), msg, a.publicKey)).toBe(false);
  });

  it('identical X25519, BLAKE2b and XChaCha20-Poly1305 results', () => {
    const sk1 = Buffer.alloc(32, 1);
    const sk2 = Buffer.alloc(32, 2);
    expect(Buffer.from(native.x25519Base(sk1))).toEqual(Buffer.from(wasm.x25519Base(sk1)));
    expect(Buffer.from(native.x25519(sk1, wasm.x25519Base(sk2)) as Uint8Array)).toEqual(
      Buffer.from(wasm.x25519(sk2, native.x25519Base(sk1)) as Uint8Array),
    );
    expect(native.x25519(sk1, Buffer.alloc(32))).toBeNull();
    expect(wasm.x25519(sk1, Buffer.alloc(32))).toBeNull();
    expect(Buffer.from(native.blake2b(24, sk1, sk2))).toEqual(Buffer.from(wasm.blake2b(24, sk1, sk2)));
    const key = Buffer.alloc(32, 5);
    const nonce = Buffer.alloc(24, 6);
    const ad = Buffer.from('ad');
    const ct = native.aeadEncrypt(Buffer.from('hello'), ad, nonce, key);
    expect(Buffer.from(wasm.aeadEncrypt(Buffer.from('hello'), ad, nonce, key))).toEqual(Buffer.from(ct));
    expect(Buffer.from(wasm.aeadDecrypt(ct, ad, nonce, key) as Uint8Array).toString()).toBe('hello');
    for (const backend of [native, wasm]) {
      const inPlace = Buffer.from('hello\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0');
      backend.aeadEncryptInto(inPlace, inPlace.subarray(0, 5), ad, nonce, key);
      expect(inPlace).toEqual(Buffer.from(ct));
    }
    ct[0] ^= 1;
    expect(wasm.aeadDecrypt(ct, ad, nonce, key)).toBeNull();
    expect(native.aeadDecrypt(ct, ad, nonce, key)).toBeNull();
  });

  it.each([
    ['sodium-native', 'libsodium-wrappers'],
    ['libsodium-wrappers', 'sodium-native'],
  ])('a track encrypted with %s decrypts with %s, byte-identical across builds', async (from, to) => {
    const [enc, dec] = from === 'sodium-native' ? [native, wasm] : [wasm, native];
    void to;
    const keys = generateApplianceKeys(native);
    const plain = Buffer.alloc(5000, 3);
    const params = {
      hubSecret: Buffer.alloc(32, 1),
      recipientPublicKey: keys.encryption.publicKey,
      applianceId: 'app-1',
      trackId: 't',
      renditionVersion: 1,
      plaintextLength: plain.length,
      plaintextSha256: createHash('sha256').update(plain).digest(),
      chunkSize: 1024,
    };
    const file = await collect(encryptStream(new TrackEncryptor(enc, params), [plain]));
    const other = await collect(encryptStream(new TrackEncryptor(dec, params), [plain]));
    expect(file.equals(other)).toBe(true);
    const recipient = {
      publicKey: keys.encryption.publicKey,
      secretKey: keys.encryption.secretKey,
      applianceId: 'app-1',
    };
    expect(await decryptToBuffer(dec, file, recipient)).toEqual(plain);
    expect(TrackDecryptor.open(dec, file, recipient).chunks).toBe(5);
  });
});
