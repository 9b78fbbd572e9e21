import { ProvisioningError } from '../errors';
import { fromBase64Url, publicKeyId, toBase64Url } from '../encoding';
import type { HubSigningKey } from '../keys/hub-key';
import type { Sodium } from '../sodium/backend';
import { canonicalBytes, type JsonValue } from './jcs';

/** A hub-signed document: the payload plus a detached Ed25519 signature over its RFC 8785 canonical bytes. */
export interface SignedDocument<T extends JsonValue = JsonValue> {
  payload: T;
  signature: { alg: 'ed25519'; keyid: string; value: string };
}

/** Domain separation: a document signature can never be replayed as a request or enrolment signature. */
const DOCUMENT_CONTEXT = Buffer.from('roomtone-signed-document-v1\n', 'utf8');

/** The exact bytes a document signature covers: the context string, then the canonical payload. */
export function documentSigningBytes(payload: unknown): Buffer {
  return Buffer.concat([DOCUMENT_CONTEXT, canonicalBytes(payload)]);
}

/** Signs `payload` with the hub key (plans, licences, configuration). */
export function signDocument<T extends JsonValue>(key: HubSigningKey, payload: T): SignedDocument<T> {
  const value = toBase64Url(key.sign(documentSigningBytes(payload)));
  return { payload, signature: { alg: 'ed25519', keyid: key.keyId, value } };
}

/**
 * Appliance side: verifies a document against the pinned hub key and returns its payload. Anything else (other
 * algorithm, other key, a changed payload, extra envelope fields) is refused with a typed error.
 */
export function verifyDocument(sodium: Sodium, document: unknown, pinnedHubKey: Uint8Array): JsonValue {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw malformed('not an object');
  const envelope = document as Record<string, unknown>;
  if (Object.keys(envelope).sort().join(',') !== 'payload,signature')
    throw malformed('the envelope must have exactly "payload" and "signature"');
  const signature = envelope.signature as Record<string, unknown> | null;
  if (typeof signature !== 'object' || signature === null) throw malformed('signature is not an object');
  if (signature.alg !== 'ed25519')
    throw malformed(`algorithm ${JSON.stringify(signature.alg)} is not accepted (only ed25519)`);
  if (typeof signature.keyid !== 'string') throw malformed('keyid missing');
  if (signature.keyid !== publicKeyId(pinnedHubKey)) {
    throw new ProvisioningError(
      'DOCUMENT_WRONG_KEY',
      `document signed by key ${signature.keyid}, not by the pinned hub key: re-enrol if the hub's key really changed`,
    );
  }
  const value = fromBase64Url(signature.value, 64);
  if (!value) throw malformed('signature value is not 64 bytes of base64url');
  let bytes: Buffer;
  try {
    bytes = documentSigningBytes(envelope.payload);
  } catch {
    throw malformed('payload is not plain JSON');
  }
  if (!sodium.verifyDetached(value, bytes, pinnedHubKey)) {
    throw new ProvisioningError(
      'DOCUMENT_SIGNATURE_INVALID',
      'document signature does not verify against the pinned hub key: the document was altered or forged; refusing it',
    );
  }
  return envelope.payload as JsonValue;
}

function malformed(what: string): ProvisioningError {
  return new ProvisioningError('DOCUMENT_MALFORMED', `signed document is malformed (${what}): refusing it`);
}
