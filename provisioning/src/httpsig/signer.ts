import { toBase64Url } from '../encoding';
import type { Clock } from '../clock';
import type { SecretBytes } from '../keys/secret-bytes';
import type { Sodium } from '../sodium/backend';
import { contentDigest } from './content-digest';
import { signatureBase, type SignatureParams } from './signature-base';

/** The request to sign, as the HTTP client will send it. */
export interface OutgoingRequest {
  method: string;
  /** Absolute URL, exactly as sent. */
  url: string;
  /** Body bytes; when present (even empty but given), `content-digest` is added and covered. */
  body?: Uint8Array;
}

/** Who signs and how. */
export interface RequestSigner {
  sodium: Sodium;
  /** The appliance id, sent as `keyid`. */
  keyId: string;
  /** The appliance's Ed25519 secret key (64-byte libsodium form). */
  secretKey: SecretBytes;
  clock: Clock;
  /** Signature label; "sig1" unless a hub asks otherwise. */
  label?: string;
}

/** Headers to add to the request (lower-case names). */
export interface SignatureHeaders {
  'signature-input': string;
  signature: string;
  'content-digest'?: string;
}

/**
 * Signs a request per RFC 9421 with ed25519: covers `@method`, `@target-uri` and, for a body, `content-digest`
 * (RFC 9530, sha-256); parameters `created`, `keyid`, a random `nonce` and `alg="ed25519"`.
 */
export function signRequest(request: OutgoingRequest, signer: RequestSigner): SignatureHeaders {
  const label = signer.label ?? 'sig1';
  const headers: SignatureHeaders = { 'signature-input': '', signature: '' };
  const components = ['@method', '@target-uri'];
  if (request.body !== undefined) {
    headers['content-digest'] = contentDigest(request.body);
    components.push('content-digest');
  }
  const params: SignatureParams = {
    components,
    created: Math.floor(signer.clock.now() / 1000),
    keyid: signer.keyId,
    nonce: toBase64Url(signer.sodium.randomBytes(16)),
    alg: 'ed25519',
  };
  const { base, paramsValue } = signatureBase(params, {
    method: request.method,
    targetUri: request.url,
    header: (name) => (name === 'content-digest' ? headers['content-digest'] : undefined),
  });
  const signature = signer.sodium.signDetached(Buffer.from(base, 'utf8'), signer.secretKey.expose());
  headers['signature-input'] = `${label}=${paramsValue}`;
  headers.signature = `${label}=:${Buffer.from(signature).toString('base64')}:`;
  return headers;
}
