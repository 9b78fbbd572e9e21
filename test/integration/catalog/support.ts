import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { BrowserSession } from '../authz/support/fixtures';

/** Sends `body` as a raw master upload. */
export function upload(
  app: INestApplication,
  session: BrowserSession,
  body: Buffer,
  options: { contentType?: string; query?: Record<string, string> } = {},
) {
  return request(app.getHttpServer())
    .post('/tracks')
    .query(options.query ?? {})
    .set('Cookie', session.cookie)
    .set('X-CSRF-Token', session.csrfToken)
    .set('Content-Type', options.contentType ?? 'audio/mpeg')
    .send(body);
}

/** GET with the session cookie. */
export function get(app: INestApplication, session: BrowserSession | undefined, url: string) {
  const req = request(app.getHttpServer()).get(url);
  return session ? req.set('Cookie', session.cookie) : req;
}

interface JobBody {
  state: string;
  progress: number;
  failureReason: string | null;
  attempts: number;
}

/** Polls the track's ingest job until it is ready or failed (or `timeoutMs` passes). */
export async function waitForIngest(
  app: INestApplication,
  session: BrowserSession,
  trackId: string,
  timeoutMs = 45_000,
): Promise<JobBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await get(app, session, `/tracks/${trackId}/ingest`).expect(200)).body as JobBody;
    if (job.state === 'ready' || job.state === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`ingest of ${trackId} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every file under a directory, relative to it (empty when it does not exist). */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  } catch {
    return [];
  }
}
