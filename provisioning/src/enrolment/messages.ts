import type { Clock } from '../clock';
import { canonicalBytes } from '../documents/jcs';
import { signDocument, type SignedDocument, verifyDocument } from '../documents/signed-document';
import { fromBase64Url, toBase64Url } from '../encoding';
import { ProvisioningError } from '../errors';
import type { ApplianceKeys, AppliancePublicKeys } from '../keys/appliance-keys';
import type { HubSigningKey } from '../keys/hub-key';
import type { Sodium } from '../sodium/backend';
import { parseEnrolmentCode } from './code';

/** What the device sends to `POST /api/enrolment` (see provisioning/README.md). */
export interface EnrolmentRequest {
  type: 'roomtone.enrolment.request';
  version: 1;
  code: string;
  /** 16 random bytes, base64url: makes every request unique and binds the hub's response to it. */
  nonce: string;
  /** When the device made the request (ISO 8601 UTC). */
  createdAt: string;
  publicKeys: { signing: string; encryption: string };
  /** Ed25519 by the new signing key over `roomtone-enrolment-v1\n` + RFC 8785 bytes of the other fields. */
  signature: string;
}

/** What the hub answers: a document signed by the hub key, so the device checks the key it is about to pin. */
export interface EnrolmentResponsePayload {
  type: 'roomtone.enrolment.response';
  applianceId: string;
  hubPublicKey: string;
  /** The request's nonce, so an old or other device's response cannot be substituted. */
  requestNonce: string;
  [key: string]: string;
}

const ENROLMENT_CONTEXT = Buffer.from('roomtone-enrolment-v1\n', 'utf8');

/** Device side: the signed enrolment request (proof of possession of the new signing key). */
export function createEnrolmentRequest(
  sodium: Sodium,
  keys: ApplianceKeys,
  code: string,
  clock: Clock,
): EnrolmentRequest {
  const body = {
    type: 'roomtone.enrolment.request' as const,
    version: 1 as const,
    code: parseEnrolmentCode(code),
    nonce: toBase64Url(sodium.randomBytes(16)),
    createdAt: new Date(clock.now()).toISOString(),
    publicKeys: { signing: toBase64Url(keys.signing.publicKey), encryption: toBase64Url(keys.encryption.publicKey) },
  };
  const signature = sodium.signDetached(
    Buffer.concat([ENROLMENT_CONTEXT, canonicalBytes(body)]),
    keys.signing.secretKey.expose(),
  );
  return { ...body, signature: toBase64Url(signature) };
}

/** The facts of a verified enrolment request. The hub still checks the code (unused, unexpired, not locked). */
export interface VerifiedEnrolmentRequest {
  code: string;
  nonce: string;
  createdAt: Date;
  publicKeys: AppliancePublicKeys;
}

/**
 * Hub side: checks the shape, the code's check character, the time (within `maxSkewMs`, default 300 s) and that
 * the request is signed by the signing key it carries.
 */
export function verifyEnrolmentRequest(
  sodium: Sodium,
  request: unknown,
  options: { clock: Clock; maxSkewMs?: number },
): VerifiedEnrolmentRequest {
  const invalid = (what: string) =>
    new ProvisioningError(
      'ENROLMENT_MESSAGE_INVALID',
      `enrolment request is invalid (${what}): update the appliance software and retry`,
    );
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw invalid('not an object');
  const r = request as Record<string, unknown>;
  if (r.type !== 'roomtone.enrolment.request' || r.version !== 1) throw invalid('type or version');
  if (typeof r.code !== 'string') throw invalid('code');
  const code = parseEnrolmentCode(r.code);
  const nonce = fromBase64Url(r.nonce, 16);
  if (!nonce) throw invalid('nonce');
  const createdAt = typeof r.createdAt === 'string' ? new Date(r.createdAt) : new Date(NaN);
  if (Number.isNaN(createdAt.getTime())) throw invalid('createdAt');
  const keys = r.publicKeys as Record<string, unknown> | null;
  const signing = fromBase64Url(keys?.signing, 32);
  const encryption = fromBase64Url(keys?.encryption, 32);
  if (!signing || !encryption) throw invalid('publicKeys');
  const signature = fromBase64Url(r.signature, 64);
  if (!signature) throw invalid('signature');
  const skew = Math.abs(options.clock.now() - createdAt.getTime());
  if (skew > (options.maxSkewMs ?? 300_000)) {
    throw new ProvisioningError(
      'ENROLMENT_CLOCK_SKEW',
      `enrolment request time is ${Math.round(skew / 1000)} s away from the hub's clock: set the appliance's clock (NTP) and retry`,
    );
  }
  const body = {
    type: r.type,
    version: r.version,
    code: r.code,
    nonce: r.nonce,
    createdAt: r.createdAt,
    publicKeys: { signing: keys?.signing, encryption: keys?.encryption },
  };
  if (!sodium.verifyDetached(signature, Buffer.concat([ENROLMENT_CONTEXT, canonicalBytes(body)]), signing)) {
    throw new ProvisioningError(
      'ENROLMENT_SIGNATURE_INVALID',
      'enrolment request is not signed by the key it carries (no proof of possession): refusing it',
    );
  }
  return { code, nonce: r.nonce as string, createdAt, publicKeys: { signing, encryption } };
}

/** Hub side: the signed response that hands the device its id and the key to pin. */
export function createEnrolmentResponse(
  hubKey: HubSigningKey,
  applianceId: string,
  requestNonce: string,
): SignedDocument<EnrolmentResponsePayload> {
  return signDocument(hubKey, {
    type: 'roomtone.enrolment.response',
    applianceId,
    hubPublicKey: toBase64Url(hubKey.publicKey),
    requestNonce,
  });
}

/**
 * Device side: checks the response is signed by the hub key it announces and answers this request; returns the
 * id and the key to pin.
 */
export function verifyEnrolmentResponse(
  sodium: Sodium,
  response: unknown,
  request: EnrolmentRequest,
): { applianceId: string; hubPublicKey: Uint8Array } {
  const payload = (response as { payload?: Record<string, unknown> } | null)?.payload;
  const hubPublicKey = fromBase64Url(payload?.hubPublicKey, 32);
  if (!payload || !hubPublicKey)
    throw new ProvisioningError(
      'ENROLMENT_MESSAGE_INVALID',
      'enrolment response is malformed: check the hub URL and retry',
    );
  const verified = verifyDocument(sodium, response, hubPublicKey) as Record<string, unknown>;
  if (
    verified.type !== 'roomtone.enrolment.response' ||
    typeof verified.applianceId !== 'string' ||
    verified.applianceId === ''
  ) {
    throw new ProvisioningError(
      'ENROLMENT_MESSAGE_INVALID',
      'enrolment response is malformed: check the hub URL and retry',
    );
  }
  if (verified.requestNonce !== request.nonce) {
    throw new ProvisioningError(
      'ENROLMENT_SIGNATURE_INVALID',
      'enrolment response answers another request: retry the enrolment',
    );
  }
  return { applianceId: verified.applianceId, hubPublicKey };
}
