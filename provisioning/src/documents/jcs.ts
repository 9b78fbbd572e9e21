import { ProvisioningError } from '../errors';

/** A JSON value as RFC 8785 sees it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by UTF-16 code units, no whitespace, numbers in
 * ECMAScript shortest form, strings with JSON.stringify's minimal escaping. ECMAScript's JSON.stringify already
 * implements the RFC's number and string rules (RFC 8785 section 3.2.2 defers to it), so only ordering and the
 * refusals (non-finite numbers, lone surrogates, non-JSON values) are ours.
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw notJson(`number ${String(value)}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw notJson('a string with a lone surrogate');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalize(item)).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${canonicalize(k)}:${canonicalize(record[k])}`).join(',')}}`;
  }
  throw notJson(typeof value);
}

/** UTF-8 bytes of {@link canonicalize}. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

function notJson(what: string): ProvisioningError {
  return new ProvisioningError('DOCUMENT_MALFORMED', `cannot canonicalize ${what}: documents must be plain JSON`);
}
