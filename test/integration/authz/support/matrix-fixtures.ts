import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppliancesRepository } from '../../../../hub/src/appliances/appliances.repository';
import { newAppliance } from '../../../../hub/src/appliances/lifecycle/new-appliance';
import { IngestJob } from '../../../../hub/src/catalog/entities/ingest-job.entity';
import { Track } from '../../../../hub/src/catalog/entities/track.entity';
import { IdGenerator } from '../../../../hub/src/common/ids/id-generator';
import { Clock } from '../../../../hub/src/common/time/clock';
import { Licence } from '../../../../hub/src/licences/entities/licence.entity';
import { Programme } from '../../../../hub/src/programmes/entities/programme.entity';
import { MembershipsRepository, UsersRepository } from '../../../../hub/src/tenancy';
import { InstallerVenueGrant } from '../../../../hub/src/users/venue-grant.entity';
import { ZoneSchedule, ZoneScheduleVersion } from '../../../../hub/src/zone-schedules/entities/zone-schedule.entity';
import { createTenant, createUser, signIn, type TenantFixture } from './fixtures';

const sha256 = (text: string): Uint8Array => createHash('sha256').update(text).digest();

/** A tenant with every kind of row the matrix can name, plus spare rows that own-tenant calls may change or delete. */
export interface MatrixTenant extends TenantFixture {
  trackId: string;
  /** A spare (bundled, zoneless) appliance of the tenant's venue. */
  applianceId: string;
  /** A licence of the tenant's venue. */
  licenceId: string;
  /** A programme of the tenant's business. */
  programmeId: string;
  spareUserId: string;
  spareMembershipId: string;
  /** Every id and name of this tenant: none may appear in another tenant's responses. */
  secrets: string[];
}

/** A caller: one user, with an API token to call with and a second token it may revoke. */
export interface Caller {
  role: 'operator' | 'rights_owner' | 'venue_manager' | 'installer';
  userId: string;
  token: string;
  disposableTokenId: string;
}

/**
 * Creates a tenant with spare rows and a track with its ingest job and preview file. `trackReady` false makes a failed
 * track: outside the shared ready catalogue, so only its label and operators may see it (the foreign tenant's track).
 */
export async function createMatrixTenant(
  app: INestApplication,
  name: string,
  dataDir: string,
  trackReady: boolean,
): Promise<MatrixTenant> {
  const tenant = await createTenant(app, name);
  const now = app.get(Clock).now();
  const trackId = app.get(IdGenerator).next();
  await app
    .get(DataSource)
    .getRepository(Track)
    .insert({
      id: trackId,
      ownerOrganisationId: tenant.labelId,
      status: trackReady ? 'ready' : 'failed',
      contentSha256: trackId.replace(/-/g, '').padEnd(64, '0'),
      title: `${name} Theme`,
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
    });
  await app
    .get(DataSource)
    .getRepository(IngestJob)
    .insert({
      id: app.get(IdGenerator).next(),
      trackId,
      state: trackReady ? 'ready' : 'failed',
      progress: 100,
      failureReason: trackReady ? null : 'matrix fixture',
      attempts: 1,
      createdAt: now,
      updatedAt: now,
      finishedAt: now,
    });
  // Where the catalogue keeps renditions (hub/src/catalog/storage): any bytes do for authorisation checks.
  const trackDir = path.join(dataDir, 'media', 'tracks', trackId);
  fs.mkdirSync(trackDir, { recursive: true });
  fs.writeFileSync(path.join(trackDir, 'preview.mp3'), Buffer.alloc(4096, 0xff));
  const spare = await createUser(app, `spare@${name.toLowerCase()}.test`);
  const membership = await app.get(MembershipsRepository).add(spare.id, tenant.businessId, 'installer');
  await app
    .get(DataSource)
    .getRepository(InstallerVenueGrant)
    .insert({ id: app.get(IdGenerator).next(), userId: spare.id, venueId: tenant.venueId, createdAt: now });
  const applianceId = app.get(IdGenerator).next();
  await app.get(AppliancesRepository).insert([
    newAppliance({
      id: applianceId,
      venueId: tenant.venueId,
      zoneId: null,
      // Public keys only need to be distinct 32-byte values here; no request is ever signed with them.
      keys: { signing: sha256(`signing ${applianceId}`), encryption: sha256(`encryption ${applianceId}`) },
      via: 'bundle',
      now,
    }),
  ]);
  const licenceId = app.get(IdGenerator).next();
  await app
    .get(DataSource)
    .getRepository(Licence)
    .insert({
      id: licenceId,
      venueId: tenant.venueId,
      zoneIds: null,
      tier: 'full',
      validFrom: now,
      validUntil: new Date(now.getTime() + 365 * 86_400_000),
      leaseDays: 7,
      version: 1,
      revokedAt: null,
      revokedReason: null,
      createdAt: now,
      updatedAt: now,
    });
  // A published schedule (version 1, silence) of the zone, so GET .../schedule/versions/1 names a row.
  await app.get(DataSource).getRepository(ZoneSchedule).insert({
    zoneId: tenant.zoneId,
    draft: null,
    draftUpdatedAt: null,
    draftUpdatedByUserId: null,
    latestVersion: 1,
    updatedAt: now,
  });
  await app
    .get(DataSource)
    .getRepository(ZoneScheduleVersion)
    .insert({
      id: app.get(IdGenerator).next(),
      zoneId: tenant.zoneId,
      version: 1,
      document: JSON.stringify({ version: 1, zone: 'Europe/Berlin', blocks: [] }),
      programmeIds: [],
      publishedAt: now,
      publishedByUserId: null,
      planId: null,
    });
  const programmeId = app.get(IdGenerator).next();
  await app
    .get(DataSource)
    .getRepository(Programme)
    .insert({
      id: programmeId,
      organisationId: tenant.businessId,
      name: `${name} Programme`,
      kind: 'ordered',
      trackIds: [trackId],
      rules: null,
      repeatWindowMinutes: 0,
      artistSeparationMinutes: 0,
      crossfadeMs: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  const secrets = [
    tenant.businessId,
    tenant.labelId,
    tenant.venueGroupId,
    tenant.venueId,
    tenant.zoneId,
    trackId,
    applianceId,
    licenceId,
    programmeId,
    spare.id,
    membership.id,
    ...Object.values(tenant.users).flatMap((u) => [u.id, u.email]),
    spare.email,
    name,
  ];
  return {
    ...tenant,
    trackId,
    applianceId,
    licenceId,
    programmeId,
    spareUserId: spare.id,
    spareMembershipId: membership.id,
    secrets,
  };
}

/** Signs `email` in and creates two API tokens: one to call with, one the caller may revoke in the matrix. */
export async function createCaller(app: INestApplication, role: Caller['role'], email: string): Promise<Caller> {
  const session = await signIn(app, email);
  const create = async (name: string) =>
    (
      await request(app.getHttpServer())
        .post('/auth/tokens')
        .set('Cookie', session.cookie)
        .set('X-CSRF-Token', session.csrfToken)
        .send({ name })
        .expect(201)
    ).body as { id: string; token: string };
  const main = await create('matrix');
  const disposable = await create('disposable');
  const user = await app.get(UsersRepository).findByEmail(email);
  return { role, userId: user!.id, token: main.token, disposableTokenId: disposable.id };
}

/**
 * supertest calls as `caller`, its API token sent as a bearer token: what the suites built on matrix tenants call
 * `as(caller)`. A missing body on POST or PUT sends an empty JSON object.
 */
export function callAs(app: INestApplication, caller: Pick<Caller, 'token'>) {
  const agent = request(app.getHttpServer());
  const auth = { Authorization: `Bearer ${caller.token}` };
  return {
    get: (path: string) => agent.get(path).set(auth),
    post: (path: string, body: object = {}) => agent.post(path).set(auth).send(body),
    put: (path: string, body: object = {}) => agent.put(path).set(auth).send(body),
    patch: (path: string, body: object) => agent.patch(path).set(auth).send(body),
    delete: (path: string) => agent.delete(path).set(auth),
  };
}

/** Creates operator `email` (an operator user) and signs it in as a Caller. */
export async function createOperatorCaller(app: INestApplication, email = 'op@hub.test'): Promise<Caller> {
  await createUser(app, email, true);
  return createCaller(app, 'operator', email);
}

/**
 * The two-tenant start of the feature suites: tenant Mine and tenant Theirs (both with ready tracks), and Mine's
 * venue manager and installer as callers.
 */
export async function mineAndTheirs(
  app: INestApplication,
  dataDir: string,
): Promise<{ mine: MatrixTenant; theirs: MatrixTenant; manager: Caller; installer: Caller }> {
  const mine = await createMatrixTenant(app, 'Mine', dataDir, true);
  const theirs = await createMatrixTenant(app, 'Theirs', dataDir, true);
  const manager = await createCaller(app, 'venue_manager', mine.users.venue_manager.email);
  const installer = await createCaller(app, 'installer', mine.users.installer.email);
  return { mine, theirs, manager, installer };
}
