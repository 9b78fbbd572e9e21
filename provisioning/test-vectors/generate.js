#!/usr/bin/env node
// Regenerates track-v1.json from the built library: `npm run build && node provisioning/test-vectors/generate.js`.
// Every input is fixed, so the output is reproducible; vectors.spec.ts checks the library still produces it.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const p = require('../dist/index.js');
const ks = require('../dist/track/key-schedule.js');
const fmt = require('../dist/track/format.js');

const hex = (b) => Buffer.from(b).toString('hex');
const sodium = p.createNativeSodium();

function vector(name, { hubSecret, recipientSecret, applianceId, trackId, renditionVersion, chunkSize, plaintext }) {
  const recipientPublicKey = sodium.x25519Base(recipientSecret);
  const sha = createHash('sha256').update(plaintext).digest();
  const enc = new p.TrackEncryptor(sodium, {
    hubSecret,
    recipientPublicKey,
    applianceId,
    trackId,
    renditionVersion,
    chunkSize,
    plaintextLength: plaintext.length,
    plaintextSha256: sha,
  });
  const contentKey = ks.deriveContentKey(sodium, hubSecret, {
    recipientPublicKey,
    applianceId,
    trackId,
    renditionVersion,
  });
  const ephemeralSecret = ks.deriveEphemeralSecret(sodium, contentKey);
  const ephemeralPublicKey = sodium.x25519Base(ephemeralSecret);
  const shared = sodium.x25519(recipientSecret, ephemeralPublicKey);
  const kek = ks.deriveKek(sodium, shared, ephemeralPublicKey, recipientPublicKey);
  const prefix = enc.header.bytes.subarray(0, enc.header.headerLength - 48);
  const headerHash = ks.headerHash(sodium, enc.header.bytes);
  const chunks = [];
  for (let i = 0; i < enc.chunks; i++) {
    const plain = plaintext.subarray(i * chunkSize, Math.min(plaintext.length, (i + 1) * chunkSize));
    chunks.push({
      index: i,
      offset: fmt.chunkOffset(enc.header, i),
      final: i === enc.chunks - 1,
      nonce: hex(fmt.chunkNonce(enc.header.fileNonce, i)),
      ad: hex(fmt.chunkAd(headerHash, i, i === enc.chunks - 1)),
      ciphertext: hex(enc.encryptChunk(i, plain)),
    });
  }
  const file = Buffer.concat([enc.header.bytes, ...chunks.map((c) => Buffer.from(c.ciphertext, 'hex'))]);
  return {
    name,
    inputs: {
      hubSecret: hex(hubSecret),
      recipientSecretKey: hex(recipientSecret),
      recipientPublicKey: hex(recipientPublicKey),
      applianceId,
      trackId,
      renditionVersion,
      chunkSize,
      plaintext: hex(plaintext),
    },
    derived: {
      contentKey: hex(contentKey),
      ephemeralSecretKey: hex(ephemeralSecret),
      ephemeralPublicKey: hex(ephemeralPublicKey),
      sharedSecret: hex(shared),
      kek: hex(kek),
      plaintextSha256: hex(sha),
      fileNonce: hex(enc.header.fileNonce),
      headerLength: enc.header.headerLength,
      headerPrefix: hex(prefix),
      wrapNonce: hex(ks.wrapNonce(sodium, prefix)),
      wrappedKey: hex(enc.header.wrappedKey),
      header: hex(enc.header.bytes),
      headerHash: hex(headerHash),
      chunkCount: enc.chunks,
      chunks,
    },
    encrypted: hex(file),
  };
}

const plaintext = Buffer.alloc(2600);
for (let i = 0; i < plaintext.length; i++) plaintext[i] = (i * 7 + 3) & 0xff;
const base = {
  hubSecret: Buffer.alloc(32).map((_, i) => i),
  recipientSecret: Buffer.alloc(32).map((_, i) => 0x40 + i),
  applianceId: 'app-7f3a',
  trackId: 'trk-0001',
  renditionVersion: 2,
  chunkSize: 1024,
  plaintext,
};
const main = vector('three chunks (1024, 1024, 552 bytes) for an enrolled appliance', base);
const empty = vector('empty track (one empty final chunk) for an unenrolled appliance', {
  ...base,
  applianceId: '',
  trackId: 'trk-empty',
  renditionVersion: 1,
  plaintext: Buffer.alloc(0),
});

const file = Buffer.from(main.encrypted, 'hex');
const flip = Buffer.from(file);
flip[main.derived.chunks[1].offset + 100] ^= 0x01;
const [c0, c1, c2] = main.derived.chunks.map((c) => c.offset);
const swap = Buffer.concat([file.subarray(0, c0), file.subarray(c1, c2), file.subarray(c0, c1), file.subarray(c2)]);
const v2 = Buffer.from(file);
v2.writeUInt16BE(2, 4);
const negative = [
  { name: 'bit 0 of byte 100 of chunk 1 flipped', encrypted: hex(flip), error: 'TRACK_CHUNK_TAMPERED', chunk: 1 },
  {
    name: 'file cut after chunk 1 (final chunk missing)',
    encrypted: hex(file.subarray(0, main.derived.chunks[2].offset)),
    error: 'TRACK_TRUNCATED',
  },
  {
    name: 'file cut in the middle of chunk 2',
    encrypted: hex(file.subarray(0, main.derived.chunks[2].offset + 10)),
    error: 'TRACK_TRUNCATED',
  },
  { name: 'chunks 0 and 1 swapped', encrypted: hex(swap), error: 'TRACK_CHUNK_TAMPERED', chunk: 0 },
  { name: 'format version field set to 2', encrypted: hex(v2), error: 'TRACK_UNSUPPORTED_VERSION' },
  {
    name: 'rendition version in the header changed from 2 to 3',
    encrypted: hex(Buffer.from(file).fill(3, 23, 24)),
    error: 'TRACK_HEADER_TAMPERED',
  },
];
const out = {
  description:
    'Test vectors for the Roomtone encrypted-track format, version 1 (provisioning/FORMAT.md). All byte strings are lowercase hex. Negative vectors use the keys of the first vector.',
  vectors: [main, empty],
  negative,
};
fs.writeFileSync(path.join(__dirname, 'track-v1.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote track-v1.json');
