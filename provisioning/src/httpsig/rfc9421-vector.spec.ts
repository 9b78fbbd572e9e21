import { fromBase64Url } from '../encoding';
import { createNativeSodium } from '../sodium/native';
import { signatureBase } from './signature-base';

// RFC 9421 Appendix B.2.6 "Signing a Request Using ed25519", with the test key of Appendix B.1.4. Ed25519 is
// deterministic, so producing the RFC's exact signature proves our signature base is byte-identical to the RFC's.
const sodium = createNativeSodium();
const seed = fromBase64Url('n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU', 32) as Buffer;
const headers: Record<string, string> = {
  date: 'Tue, 20 Apr 2021 02:07:55 GMT',
  'content-type': 'application/json',
  'content-length': '18',
};

describe('RFC 9421 Appendix B.2.6 (ed25519)', () => {
  const { base, paramsValue } = signatureBase(
    {
      components: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
      created: 1618884473,
      keyid: 'test-key-ed25519',
      nonce: '',
    },
    { method: 'POST', targetUri: 'https://example.com/foo?param=Value&Pet=dog', header: (n) => headers[n] },
    [
      ['created', 1618884473],
      ['keyid', 'test-key-ed25519'],
    ],
  );

  it('builds the RFC signature base', () => {
    expect(base).toBe(
      [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      ].join('\n'),
    );
    expect(paramsValue).toBe(
      '("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    );
  });

  it('produces the RFC signature with the B.1.4 key', () => {
    const { publicKey, secretKey } = sodium.signSeedKeypair(seed);
    expect(Buffer.from(publicKey).toString('base64url')).toBe('JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs');
    const signature = Buffer.from(sodium.signDetached(Buffer.from(base), secretKey)).toString('base64');
    expect(signature).toBe('wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==');
  });
});
