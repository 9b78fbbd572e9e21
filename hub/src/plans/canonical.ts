import { documentSigningBytes, toBase64Url, type HubSigningKey } from '@roomtone/provisioning';

/** JSON text already in RFC 8785 canonical form, spliced as is by {@link canonicalText}. */
export class Canonical {
  constructor(readonly text: string) {}
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * RFC 8785 canonical JSON, as @roomtone/provisioning's `canonicalize` writes it, except that {@link Canonical}
 * values are spliced in unchanged. Plans repeat large parts (a track's entry, a schedule's intervals) across
 * thousands of zones: those are canonicalised once per compilation instead of once per zone.
 */
export function canonicalText(value: unknown): string {
  if (value instanceof Canonical) return value.text;
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot canonicalise number ${String(value)}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new Error('cannot canonicalise a string with a lone surrogate');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(record[k])}`).join(',')}}`;
  }
  throw new Error(`cannot canonicalise ${typeof value}`);
}

/** The domain-separation prefix documentSigningBytes puts before the canonical payload. */
const DOCUMENT_CONTEXT = (() => {
  const withZero = documentSigningBytes(0);
  return withZero.subarray(0, withZero.length - 1);
})();

/**
 * A signed document's JSON text (`{"payload":...,"signature":...}`) for a payload given as canonical text: the same
 * bytes signDocument signs (context + canonical payload), without canonicalising the payload again.
 */
export function signedDocumentText(key: HubSigningKey, canonicalPayload: string): string {
  const payload = Buffer.from(canonicalPayload, 'utf8');
  const value = toBase64Url(key.sign(Buffer.concat([DOCUMENT_CONTEXT, payload])));
  return `{"payload":${canonicalPayload},"signature":${JSON.stringify({ alg: 'ed25519', keyid: key.keyId, value })}}`;
}
