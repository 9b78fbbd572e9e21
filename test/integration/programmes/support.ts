import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Track } from '../../../hub/src/catalog/entities/track.entity';
import { IdGenerator } from '../../../hub/src/common/ids/id-generator';
import { Clock } from '../../../hub/src/common/time/clock';
import { PlanInvalidation } from '../../../hub/src/plans/invalidation';
import { createUser, signIn } from '../authz/support/fixtures';

/** A catalogue track row as ingest leaves it (no files: programmes only read metadata and status). */
export async function insertTrack(
  app: INestApplication,
  ownerOrganisationId: string,
  fields: Partial<Pick<Track, 'title' | 'genre' | 'mood' | 'bpm' | 'explicit' | 'status' | 'artist'>>,
): Promise<string> {
  const id = app.get(IdGenerator).next();
  const now = app.get(Clock).now();
  await app
    .get(DataSource)
    .getRepository(Track)
    .insert({
      id,
      ownerOrganisationId,
      status: 'ready',
      contentSha256: id.replace(/-/g, '').padEnd(64, '0'),
      title: 'Untitled',
      artist: null,
      album: null,
      label: null,
      year: null,
      isrc: null,
      genre: null,
      mood: null,
      bpm: null,
      explicit: false,
      durationMs: 180_000,
      masterFormat: 'mp3',
      masterSizeBytes: 1000,
      masterBitrate: 320,
      originalFilename: null,
      uploadedByUserId: null,
      createdAt: now,
      updatedAt: now,
      ...fields,
    });
  return id;
}

/** An operator with an API token. */
export async function operatorToken(app: INestApplication, email: string): Promise<string> {
  await createUser(app, email, true);
  return tokenOf(app, email);
}

/** An API token for an existing user. */
export async function tokenOf(app: INestApplication, email: string): Promise<string> {
  const session = await signIn(app, email);
  const response = await request(app.getHttpServer())
    .post('/auth/tokens')
    .set('Cookie', session.cookie)
    .set('X-CSRF-Token', session.csrfToken)
    .send({ name: 'programmes tests' })
    .expect(201);
  return response.body.token as string;
}

/** The plan invalidations written for `scopeId`, oldest first, as [scope, reason]. */
export async function invalidationsOf(app: INestApplication, scopeId: string): Promise<[string, string][]> {
  const rows = await app
    .get(DataSource)
    .getRepository(PlanInvalidation)
    .find({ where: { scopeId }, order: { id: 'ASC' } });
  return rows.map((r) => [r.scope, r.reason]);
}
