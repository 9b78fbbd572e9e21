import type { Clock } from '../clock';
import { ProvisioningError } from '../errors';
import type { Sodium } from '../sodium/backend';
import { contentDigestMatches } from './content-digest';
import type { NonceStore } from './nonce-store';
import { MissingComponentError, signatureBase, type SignatureParams } from './signature-base';
import { type BareItem, isInnerList, parseDictionary, type Member, StructuredFieldError } from './structured-fields';

/** A request as the hub received it, independent of the HTTP framework. */
export interface IncomingRequest {
  method: string;
  /** The absolute URI the client addressed (the hub's public base URL + path and query). */
  targetUri: string;
  /** Header values by name (any case); arrays are combined with ", " as HTTP does. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes (empty or undefined when there is none). */
  body?: Uint8Array;
}

/** What the verifier needs to know about a key id. */
export interface KnownKey {
  publicKey: Uint8Array;
  revoked: boolean;
  revokedReason?: string | null;
}

/** The verifier's collaborators. */
export interface VerifierDeps {
  sodium: Sodium;
  /** Looks up an appliance's signing key by id; null or undefined when unknown. */
  lookupKey(keyId: string): KnownKey | null | undefined | Promise<KnownKey | null | undefined>;
  nonces: NonceStore;
  clock: Clock;
  /** Largest accepted distance between `created` and the hub clock; 300 s by default. */
  maxSkewMs?: number;
}

/** A verified request: who signed it and which components the signature covers. */
export interface VerifiedRequest {
  keyId: string;
  label: string;
  created: number;
  components: string[];
}

const REQUIRED = ['@method', '@target-uri'];

/**
 * Verifies an RFC 9421 ed25519 signature. Checks, in this order, each with its own error code: signature headers
 * present and well formed; `@method`, `@target-uri` (and `content-digest` when there is a body) covered; `created`
 * within the skew; key known and not revoked; body matches `Content-Digest`; signature valid; nonce not seen
 * before. The nonce is recorded only after the signature verifies.
 */
export async function verifyRequest(request: IncomingRequest, deps: VerifierDeps): Promise<VerifiedRequest> {
  const header = headerReader(request.headers);
  if (!parsesAsUrl(request.targetUri)) {
    // The framework adapter builds this from the hub's public URL; a bad one is a hub bug, still a typed refusal.
    throw fail('SIGNATURE_MALFORMED', 'target URI is not an absolute URI');
  }
  const inputHeader = header('signature-input');
  const signatureHeader = header('signature');
  if (inputHeader === undefined || signatureHeader === undefined) {
    throw fail('SIGNATURE_MISSING', 'request is not signed (Signature-Input and Signature headers are required)');
  }
  const { label, params, received, signature } = parseSignatureHeaders(inputHeader, signatureHeader);
  const body = request.body ?? new Uint8Array(0);
  const required = body.length > 0 ? [...REQUIRED, 'content-digest'] : REQUIRED;
  const missing = required.filter((c) => !params.components.includes(c));
  if (missing.length > 0)
    throw fail('SIGNATURE_COMPONENT_NOT_COVERED', `signature does not cover ${missing.join(', ')}`);

  const now = deps.clock.now();
  const maxSkew = deps.maxSkewMs ?? 300_000;
  const createdMs = params.created * 1000;
  const skew = now - createdMs;
  if (Math.abs(skew) > maxSkew) {
    throw fail(
      'SIGNATURE_CLOCK_SKEW',
      `signature created ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'ago' : 'in the future'}, beyond the ${maxSkew / 1000} s allowed: fix the appliance clock (NTP)`,
    );
  }
  if (params.expires !== undefined && params.expires * 1000 < now)
    throw fail('SIGNATURE_CLOCK_SKEW', 'signature has expired');

  const key = await deps.lookupKey(params.keyid);
  if (!key) throw fail('SIGNATURE_UNKNOWN_KEY', `unknown key id ${JSON.stringify(params.keyid)}: enrol the appliance`);
  if (key.revoked) {
    throw new ProvisioningError(
      'SIGNATURE_KEY_REVOKED',
      `appliance ${params.keyid} is revoked${key.revokedReason ? `: ${key.revokedReason}` : ''}`,
      {
        keyId: params.keyid,
        reason: key.revokedReason ?? '',
      },
    );
  }

  const digestHeader = header('content-digest');
  if (params.components.includes('content-digest') || body.length > 0) {
    if (digestHeader === undefined || !contentDigestMatches(digestHeader, body)) {
      throw fail('SIGNATURE_DIGEST_MISMATCH', 'body does not match its Content-Digest (sha-256)');
    }
  }

  let base: string;
  try {
    base = signatureBase(params, { method: request.method, targetUri: request.targetUri, header }, received).base;
  } catch (error) {
    if (error instanceof MissingComponentError) throw fail('SIGNATURE_MALFORMED', error.message);
    throw error;
  }
  if (!deps.sodium.verifyDetached(signature, Buffer.from(base, 'utf8'), key.publicKey)) {
    throw fail(
      'SIGNATURE_INVALID',
      'signature does not verify (method, URI, covered headers or body were altered, or the wrong key signed)',
    );
  }
  if (!(await deps.nonces.remember(params.keyid, params.nonce, createdMs, createdMs + maxSkew, now))) {
    throw fail('SIGNATURE_NONCE_REPLAYED', 'nonce already used: this request is a replay');
  }
  return { keyId: params.keyid, label, created: params.created, components: params.components };
}

function parseSignatureHeaders(
  inputHeader: string,
  signatureHeader: string,
): { label: string; params: SignatureParams; received: [string, BareItem][]; signature: Buffer } {
  let inputs: Map<string, Member>;
  let signatures: Map<string, Member>;
  try {
    inputs = parseDictionary(inputHeader);
    signatures = parseDictionary(signatureHeader);
  } catch (error) {
    if (error instanceof StructuredFieldError)
      throw fail('SIGNATURE_MALFORMED', `signature headers are not valid structured fields (${error.message})`);
    throw error;
  }
  const label = [...inputs.keys()].find((l) => signatures.has(l));
  if (label === undefined)
    throw fail('SIGNATURE_MISSING', 'no signature label appears in both Signature-Input and Signature');
  const input = inputs.get(label) as Member;
  const sig = signatures.get(label) as Member;
  if (!isInnerList(input)) throw fail('SIGNATURE_MALFORMED', 'Signature-Input member is not an inner list');
  if (isInnerList(sig) || !Buffer.isBuffer(sig.value) || sig.value.length !== 64)
    throw fail('SIGNATURE_MALFORMED', 'Signature is not a 64-byte byte sequence');
  const components: string[] = [];
  for (const item of input.items) {
    if (typeof item.value !== 'string' || item.params.length > 0)
      throw fail('SIGNATURE_MALFORMED', 'covered components must be plain strings');
    if (components.includes(item.value)) throw fail('SIGNATURE_MALFORMED', `component ${item.value} listed twice`);
    components.push(item.value);
  }
  const p = new Map<string, BareItem>(input.params);
  const created = p.get('created');
  const keyid = p.get('keyid');
  const nonce = p.get('nonce');
  const alg = p.get('alg');
  const expires = p.get('expires');
  if (typeof created !== 'number') throw fail('SIGNATURE_MALFORMED', 'created parameter missing');
  if (typeof keyid !== 'string' || keyid === '') throw fail('SIGNATURE_MALFORMED', 'keyid parameter missing');
  if (typeof nonce !== 'string' || nonce.length < 8)
    throw fail('SIGNATURE_MALFORMED', 'nonce parameter missing or shorter than 8 characters');
  if (alg !== undefined && alg !== 'ed25519')
    throw fail(
      'SIGNATURE_MALFORMED',
      `alg ${typeof alg === 'string' ? JSON.stringify(alg) : 'of a non-string type'} is not accepted (only ed25519)`,
    );
  if (expires !== undefined && typeof expires !== 'number')
    throw fail('SIGNATURE_MALFORMED', 'expires must be an integer');
  for (const [k] of input.params) {
    if (!['created', 'keyid', 'nonce', 'alg', 'expires'].includes(k))
      throw fail('SIGNATURE_MALFORMED', `unsupported signature parameter ${k}`);
  }
  const params: SignatureParams = {
    components,
    created,
    keyid,
    nonce,
    alg: alg,
    expires: expires,
  };
  return { label, params, received: input.params, signature: sig.value };
}

function headerReader(headers: IncomingRequest['headers']): (name: string) => string | undefined {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    lower.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return (name) => lower.get(name);
}

function fail(code: ConstructorParameters<typeof ProvisioningError>[0], message: string): ProvisioningError {
  return new ProvisioningError(code, message);
}

// Not URL.canParse: on Node 20 it accepted a host (`Ñle.com`) that new URL() then rejected (found by the fuzz test).
function parsesAsUrl(uri: string): boolean {
  try {
    new URL(uri);
    return true;
  } catch {
    return false;
  }
}
