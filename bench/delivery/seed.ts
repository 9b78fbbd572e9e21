// Seeds a hub data directory for the delivery benchmark: one business with a full licence, N zones each with an
// enrolled appliance (keys kept here, in memory), ready tracks whose delivery files are the cached MP3s, and a current
// plan per zone listing every track. Uses the hub's own modules (Nest application context, migrations included).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';

import { NestFactory } from '@nestjs/core';
import { generateApplianceKeys, type ApplianceKeys, type Sodium } from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { AppModule } from '../../hub/src/app.module';
import { AppliancesRepository } from '../../hub/src/appliances/appliances.repository';
import { newAppliance } from '../../hub/src/appliances/lifecycle/new-appliance';
import { Track } from '../../hub/src/catalog/entities/track.entity';
import { MediaStore } from '../../hub/src/catalog/storage/media-store';
import { IdGenerator } from '../../hub/src/common/ids/id-generator';
import { JsonLogger } from '../../hub/src/common/logging/json-logger';
import { Licence } from '../../hub/src/licences/entities/licence.entity';
import * as tenancy from '../../hub/src/tenancy';

export interface BenchAppliance {
  id: string;
  keys: ApplianceKeys;
}

export interface Seeded {
  appliances: BenchAppliance[];
  trackIds: string[];
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Seeds `dataDir` (ROOMTONE_DATA_DIR must already point at it) with `appliances` zones and the `deliveries`. */
export async function seed(
  sodium: Sodium,
  deliveries: string[],
  previewFile: string,
  applianceCount: number,
): Promise<Seeded> {
  const logger = new JsonLogger('error', () => undefined);
  const app = await NestFactory.createApplicationContext(AppModule, { logger, abortOnError: false });
  try {
    const ids = app.get(IdGenerator);
    const dataSource = app.get(DataSource);
    const now = new Date();
    const business = await app.get(tenancy.OrganisationsRepository).create({ kind: 'business', name: 'Bench Cafés' });
    const label = await app.get(tenancy.OrganisationsRepository).create({ kind: 'label', name: 'Bench Records' });
    const venue = await app
      .get(tenancy.VenuesRepository)
      .create({ organisationId: business.id, name: 'Bench Street', timeZone: 'Europe/Berlin' });
    await dataSource.getRepository(Licence).insert({
      id: ids.next(),
      venueId: venue.id,
      zoneIds: null,
      tier: 'full',
      validFrom: new Date(now.getTime() - 86_400_000),
      validUntil: new Date(now.getTime() + 365 * 86_400_000),
      leaseDays: 7,
      version: 1,
      revokedAt: null,
      revokedReason: null,
      createdAt: now,
      updatedAt: now,
    });

    const store = app.get(MediaStore);
    const trackIds: string[] = [];
    const previewSize = (await stat(previewFile)).size;
    for (const [i, file] of deliveries.entries()) {
      const id = ids.next();
      await mkdir(store.trackDir(id), { recursive: true });
      await copyFile(file, store.deliveryPath(id));
      await copyFile(previewFile, store.previewPath(id));
      const size = (await stat(file)).size;
      await dataSource.getRepository(Track).insert({
        id,
        ownerOrganisationId: label.id,
        status: 'ready',
        contentSha256: await sha256Of(file),
        title: `Bench ${i + 1}`,
        artist: 'Bench',
        album: null,
        label: null,
        year: null,
        isrc: null,
        genre: null,
        mood: null,
        bpm: null,
        explicit: false,
        durationMs: Math.round((size * 8) / 320),
        masterFormat: 'mp3',
        masterSizeBytes: size,
        masterBitrate: 320_000,
        originalFilename: null,
        loudnessLufs: -14,
        truePeakDbtp: -1,
        loudnessRangeLu: 5,
        cueInMs: 0,
        cueOutMs: null,
        deliveryKbps: 320,
        previewGainDb: 0,
        deliverySizeBytes: size,
        deliverySha256: await sha256Of(file),
        previewSizeBytes: previewSize,
        renditionVersion: 1,
        uploadedByUserId: null,
        createdAt: now,
        updatedAt: now,
      });
      trackIds.push(id);
    }

    const zones = app.get(tenancy.ZonesRepository);
    const appliances: BenchAppliance[] = [];
    const rows = [];
    for (let i = 0; i < applianceCount; i++) {
      const zone = await zones.create(venue.id, `Zone ${i + 1}`);
      const keys = generateApplianceKeys(sodium);
      const id = ids.next();
      appliances.push({ id, keys });
      rows.push(
        newAppliance({
          id,
          venueId: venue.id,
          zoneId: zone.id,
          keys: { signing: keys.signing.publicKey, encryption: keys.encryption.publicKey },
          via: 'code',
          now,
        }),
      );
      await seedPlan(dataSource, ids.next(), zone.id, venue.id, trackIds, now);
    }
    await app.get(AppliancesRepository).insert(rows);
    return { appliances, trackIds };
  } finally {
    await app.close();
  }
}

/**
 * A current plan for the zone naming every bench track, written the way the plan compiler stores one (plans +
 * plan_tracks, hub/src/plans). Its document is a placeholder: delivery reads only the track set.
 */
async function seedPlan(
  dataSource: DataSource,
  planId: string,
  zoneId: string,
  venueId: string,
  trackIds: string[],
  now: Date,
): Promise<void> {
  const set = createHash('sha256')
    .update([...trackIds].sort().join('\n'))
    .digest('hex');
  const existing: unknown[] = await dataSource.query('SELECT 1 FROM plan_tracks WHERE track_set = ? LIMIT 1', [set]);
  if (existing.length === 0) {
    for (const trackId of trackIds) {
      await dataSource.query('INSERT INTO plan_tracks (track_set, track_id) VALUES (?, ?)', [set, trackId]);
    }
  }
  const iso = now.toISOString();
  const until = new Date(now.getTime() + 14 * 86_400_000).toISOString();
  await dataSource.query(
    `INSERT INTO plans (id, zone_id, venue_id, schedule_version, licence_id, licence_version, licence_tier,
       licence_change_at, compiled_at, horizon_from, horizon_until, etag, track_set, reason, document, superseded_at)
     VALUES (?, ?, ?, 0, NULL, NULL, 'full', NULL, ?, ?, ?, ?, ?, 'bench', '{}', NULL)`,
    [planId, zoneId, venueId, iso, iso, until, set.slice(0, 64), set],
  );
}
