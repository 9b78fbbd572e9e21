// Fuzzing the three parsers that take bytes from outside: the encrypted-track decoder, the keystore loader and the
// request-signature verifier. 105,000 mutated, truncated and random inputs from a seeded generator (reproducible:
// a failure prints the seed and case number). Every input must end in a typed ProvisioningError, or succeed only when
// it is equivalent to the valid original; the decoder must never release a byte that is not the authentic plaintext.
// About 20 s of CPU in all; the generous timeouts only absorb a loaded CI machine (a hang still fails).
import { createHash } from 'node:crypto';
import {
  createKeystore,
  createNativeSodium,
  decryptStream,
  encryptStream,
  FixedClock,
  isProvisioningError,
  MemoryNonceStore,
  parseKeystore,
  serializeKeystore,
  signRequest,
  TrackEncryptor,
  verifyRequest,
  type IncomingRequest,
} from '@roomtone/provisioning';

const SEED = Number(process.env.ROOMTONE_FUZZ_SEED ?? 20261124);
const sodium = createNativeSodium();

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Byte-level mutations shared by all targets. */
function mutator(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return {
    int,
    mutate(input: Buffer): Buffer {
      const b = Buffer.from(input);
      switch (int(8)) {
        case 0: // flip 1-3 bits
          for (let k = 0, n = 1 + int(3); k < n && b.length > 0; k++) b[int(b.length)] ^= 1 << int(8);
          return b;
        case 1: // overwrite a byte with an interesting value
          if (b.length > 0) b[int(b.length)] = [0, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x3a, 0x2c][int(8)];
          return b;
        case 2: // truncate
          return b.subarray(0, int(b.length + 1));
        case 3: // delete a range
          return Buffer.concat([b.subarray(0, int(b.length)), b.subarray(int(b.length))]);
        case 4: // insert random bytes
          return Buffer.concat([b.subarray(0, int(b.length + 1)), bytes(1 + int(16)), b.subarray(int(b.length + 1))]);
        case 5: // duplicate a range (splice within the input)
          return Buffer.concat([b, b.subarray(int(b.length))]);
        case 6: // overwrite a window with random bytes
          return Buffer.concat([b.subarray(0, int(b.length)), bytes(1 + int(64))]);
        default: // entirely random, sometimes with the original prefix
          return Buffer.concat([b.subarray(0, int(Math.min(b.length, 16))), bytes(int(512))]);
      }
    },
  };
}

interface Failure {
  target: string;
  index: number;
  reason: string;
}

function record(failures: Failure[], target: string, index: number, reason: string): void {
  if (failures.length < 5) failures.push({ target, index, reason });
  else failures.length++;
}

describe(`fuzz (seed ${SEED})`, () => {
  it('track decoder: 50,000 inputs, typed errors only, never unauthentic plaintext', async () => {
    const plaintext = Buffer.from(Array.from({ length: 2600 }, (_, i) => (i * 13) & 0xff));
    const keystore = createKeystore(sodium, new Date(0));
    const recipient = {
      publicKey: keystore.keys.encryption.publicKey,
      secretKey: keystore.keys.encryption.secretKey,
      applianceId: 'app-1',
    };
    const encryptor = new TrackEncryptor(sodium, {
      hubSecret: Buffer.alloc(32, 1),
      recipientPublicKey: recipient.publicKey,
      applianceId: 'app-1',
      trackId: 'trk',
      renditionVersion: 1,
      chunkSize: 1024,
      plaintextLength: plaintext.length,
      plaintextSha256: createHash('sha256').update(plaintext).digest(),
    });
    const parts: Uint8Array[] = [];
    for await (const p of encryptStream(encryptor, [plaintext])) parts.push(p);
    const original = Buffer.concat(parts);
    const random = prng(SEED);
    const m = mutator(random);
    const failures: Failure[] = [];
    let typed = 0;
    let succeeded = 0;
    for (let i = 0; i < 50_000; i++) {
      const input = m.mutate(original);
      // Deliver in random piece sizes: the stream parser must not depend on how bytes arrive.
      const pieces: Buffer[] = [];
      for (let at = 0; at < input.length;) {
        const size = 1 + m.int(2048);
        pieces.push(input.subarray(at, at + size));
        at += size;
      }
      let index = 0;
      try {
        for await (const chunk of decryptStream(sodium, pieces, recipient)) {
          if (!Buffer.from(chunk).equals(plaintext.subarray(index * 1024, (index + 1) * 1024)))
            record(failures, 'decoder', i, `released unauthentic chunk ${index}`);
          index++;
        }
        if (!input.equals(original)) record(failures, 'decoder', i, 'accepted a modified file');
        succeeded++;
      } catch (error) {
        if (isProvisioningError(error)) typed++;
        else record(failures, 'decoder', i, `untyped ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(typed + succeeded).toBe(50_000);
    expect(typed).toBeGreaterThan(45_000);
  }, 180_000);

  it('keystore loader: 25,000 inputs, typed errors only, never keys that do not match', () => {
    const keystore = createKeystore(sodium, new Date(0));
    const text = Buffer.from(serializeKeystore(keystore));
    const random = prng(SEED + 1);
    const m = mutator(random);
    const failures: Failure[] = [];
    let typed = 0;
    for (let i = 0; i < 25_000; i++) {
      // Half byte-level mutations, half structural ones (wrong types, missing fields, odd JSON).
      let input: string;
      if (i % 2 === 0) {
        input = m.mutate(text).toString('utf8');
      } else {
        const doc = JSON.parse(text.toString()) as Record<string, unknown>;
        const keys = Object.keys(doc);
        const key = keys[m.int(keys.length)];
        const values: unknown[] = [
          null,
          0,
          -1,
          1e308,
          '',
          'x',
          [],
          {},
          true,
          '\u0000',
          'A'.repeat(5000),
          { alg: 'ed25519' },
        ];
        if (m.int(4) === 0) delete doc[key];
        else doc[key] = values[m.int(values.length)];
        input = JSON.stringify(doc);
      }
      try {
        const parsed = parseKeystore(sodium, input, 'fuzz.json');
        const sameKeys =
          Buffer.from(parsed.keys.signing.publicKey).equals(Buffer.from(keystore.keys.signing.publicKey)) &&
          Buffer.from(parsed.keys.encryption.publicKey).equals(Buffer.from(keystore.keys.encryption.publicKey));
        if (!sameKeys) record(failures, 'keystore', i, 'loaded different keys without an error');
      } catch (error) {
        if (isProvisioningError(error)) typed++;
        else record(failures, 'keystore', i, `untyped ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(typed).toBeGreaterThan(15_000);
  }, 180_000);

  it('signature verifier: 30,000 inputs, typed errors only, never an altered request accepted', async () => {
    const keystore = createKeystore(sodium, new Date(0));
    const clock = new FixedClock(Date.UTC(2026, 10, 24, 12));
    const url = 'https://hub.example.com/api/appliances/app-1/plays?batch=7';
    const body = Buffer.from('{"plays":[{"track":"trk-1","at":"2026-11-24T11:59:00Z"}]}');
    const headers = signRequest(
      { method: 'POST', url, body },
      { sodium, keyId: 'app-1', secretKey: keystore.keys.signing.secretKey, clock },
    );
    const original: IncomingRequest = { method: 'POST', targetUri: url, headers: { ...headers }, body };
    const lookupKey = (id: string) =>
      id === 'app-1' ? { publicKey: keystore.keys.signing.publicKey, revoked: false } : null;
    const random = prng(SEED + 2);
    const m = mutator(random);
    const failures: Failure[] = [];
    let typed = 0;
    for (let i = 0; i < 30_000; i++) {
      const h = { ...(original.headers as Record<string, string>) };
      let method = original.method;
      let targetUri = original.targetUri;
      let mutatedBody: Buffer = body;
      const names = ['signature-input', 'signature', 'content-digest'] as const;
      switch (m.int(6)) {
        case 0:
        case 1:
        case 2: {
          const name = names[m.int(3)];
          h[name] = m.mutate(Buffer.from(h[name], 'latin1')).toString('latin1');
          break;
        }
        case 3:
          method = m.mutate(Buffer.from(method)).toString('latin1');
          break;
        case 4:
          targetUri = m.mutate(Buffer.from(targetUri)).toString('latin1');
          break;
        default:
          mutatedBody = m.mutate(body);
      }
      const request = { method, targetUri, headers: h, body: mutatedBody };
      try {
        await verifyRequest(request, { sodium, lookupKey, nonces: new MemoryNonceStore(10), clock });
        const equivalent =
          method.toUpperCase() === original.method &&
          safeHref(targetUri) === new URL(url).href &&
          mutatedBody.equals(body) &&
          names.every((n) => h[n] === (original.headers as Record<string, string>)[n]);
        if (!equivalent) record(failures, 'verifier', i, `accepted ${JSON.stringify({ method, targetUri, h })}`);
      } catch (error) {
        if (isProvisioningError(error)) typed++;
        else record(failures, 'verifier', i, `untyped ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(typed).toBeGreaterThan(29_000);
  }, 180_000);
});

function safeHref(uri: string): string | null {
  try {
    return new URL(uri).href;
  } catch {
    return null;
  }
}
