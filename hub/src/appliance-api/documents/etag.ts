import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * The licence document's ETag: a hash of exactly what makes the document differ (licence, its version, the zone and
 * the appliance), so an amendment or a move to another zone changes it and nothing else does.
 */
export function licenceEtag(licenceId: string, version: number, zoneId: string, applianceId: string): string {
  return createHash('sha256')
    .update(`roomtone-licence-etag-v1\n${licenceId}\n${version}\n${zoneId}\n${applianceId}`)
    .digest('base64url');
}

/** True when an If-None-Match header names `etag` (weak comparison, as RFC 9110 13.1.2 asks; `*` matches). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === '*' || tag.replace(/^W\//, '') === `"${etag}"`;
  });
}

/**
 * Sends a document's exact bytes with a strong ETag and `Cache-Control: no-cache` (the appliance revalidates every
 * time), or 304 with no body when the caller already holds this version.
 */
export function sendDocument(res: FastifyReply, json: string, etag: string, ifNoneMatch: string | undefined): void {
  res.header('ETag', `"${etag}"`).header('Cache-Control', 'no-cache');
  sendJson(res, json, noneMatch(ifNoneMatch, etag));
}

/**
 * Sends a plan body: content-addressed, so its ETag is its hash and it may be cached forever (`immutable`); 304 on
 * a matching If-None-Match.
 */
export function sendImmutable(res: FastifyReply, json: string, sha256: string, ifNoneMatch: string | undefined): void {
  res.header('ETag', `"${sha256}"`).header('Cache-Control', 'private, max-age=31536000, immutable');
  sendJson(res, json, noneMatch(ifNoneMatch, sha256));
}

/** The exact bytes of `json`, or 304 with no body when the caller holds them already. */
function sendJson(res: FastifyReply, json: string, notModified: boolean): void {
  if (notModified) {
    void res.code(304).send();
    return;
  }
  void res.code(200).type('application/json; charset=utf-8').send(Buffer.from(json, 'utf8'));
}
