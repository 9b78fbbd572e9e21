import { createHash } from 'node:crypto';
import { isInnerList, parseDictionary } from './structured-fields';

/** RFC 9530 `Content-Digest` value for `body` with sha-256: `sha-256=:<base64>:`. */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/**
 * True when the `Content-Digest` header carries a sha-256 member equal to the digest of `body`. Other algorithms
 * in the header are ignored (RFC 9530 lets senders offer several); a header without sha-256 fails.
 */
export function contentDigestMatches(header: string, body: Uint8Array): boolean {
  let dict;
  try {
    dict = parseDictionary(header);
  } catch {
    return false;
  }
  const member = dict.get('sha-256');
  if (!member || isInnerList(member) || !Buffer.isBuffer(member.value)) return false;
  return member.value.equals(createHash('sha256').update(body).digest());
}
