import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import {
  assemblePlan,
  fromBase64Url,
  planBodyRef,
  verifyDocument,
  type PlanBodyRef,
  type PlanCatalogueBody,
  type PlanEnvelope,
  type PlanPayload,
  type PlanTimelineBody,
  type Sodium,
} from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { Track } from '../../../hub/src/catalog/entities/track.entity';
import { IdGenerator } from '../../../hub/src/common/ids/id-generator';
import { Clock } from '../../../hub/src/common/time/clock';
import { PlansService } from '../../../hub/src/plans';
import { Programme } from '../../../hub/src/programmes/entities/programme.entity';
import { DocumentSigner } from '../../../hub/src/trust';

/**
 * Creates an ordered programme of `trackIds` for a business, as the programmes feature stores it (its rows, not its
 * HTTP API, so these suites test plans and schedules alone).
 */
export async function createProgramme(
  app: INestApplication,
  organisationId: string,
  name: string,
  trackIds: string[],
): Promise<string> {
  const id = app.get(IdGenerator).next();
  const now = app.get(Clock).now();
  await app.get(DataSource).getRepository(Programme).insert({
    id,
    organisationId,
    name,
    kind: 'ordered',
    trackIds,
    rules: null,
    repeatWindowMinutes: 60,
    artistSeparationMinutes: 15,
    crossfadeMs: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/**
 * A ready track of `labelId` with a delivery rendition of `deliveryBytes` random bytes on disk and its rendition facts
 * recorded, as ingest leaves it (no ffmpeg: plans only read the facts).
 */
export async function readyTrack(
  app: INestApplication,
  dataDir: string,
  labelId: string,
  title: string,
  deliveryBytes: number,
): Promise<{ id: string; deliveryPath: string }> {
  const id = app.get(IdGenerator).next();
  const now = app.get(Clock).now();
  const dir = path.join(dataDir, 'media', 'tracks', id);
  fs.mkdirSync(dir, { recursive: true });
  const delivery = randomBytes(deliveryBytes);
  const deliveryPath = path.join(dir, 'delivery.mp3');
  fs.writeFileSync(deliveryPath, delivery);
  fs.writeFileSync(path.join(dir, 'preview.mp3'), randomBytes(1000));
  const { createHash } = await import('node:crypto');
  await app
    .get(DataSource)
    .getRepository(Track)
    .insert({
      id,
      ownerOrganisationId: labelId,
      status: 'ready',
      contentSha256: createHash('sha256').update(id).digest('hex'),
      title,
      artist: `${title} Artist`,
      album: null,
      label: 'Test Records',
      year: null,
      isrc: null,
      genre: 'jazz',
      mood: null,
      bpm: null,
      explicit: false,
      durationMs: 180_000,
      masterFormat: 'mp3',
      masterSizeBytes: deliveryBytes,
      masterBitrate: 320,
      originalFilename: null,
      loudnessLufs: -14.5,
      truePeakDbtp: -1.2,
      cueInMs: 10,
      cueOutMs: 179_000,
      deliverySizeBytes: deliveryBytes,
      deliverySha256: createHash('sha256').update(delivery).digest('hex'),
      previewSizeBytes: 1000,
      renditionVersion: 1,
      uploadedByUserId: null,
      createdAt: now,
      updatedAt: now,
    });
  return { id, deliveryPath };
}

/**
 * What an appliance does with a stored plan document: verify the envelope against the hub key, read each body it
 * references (PlansService.body), check its SHA-256 and size, assemble. Returns the assembled plan and the envelope.
 */
export async function assembledPlan(
  app: INestApplication,
  sodium: Sodium,
  json: string,
): Promise<{ plan: PlanPayload; envelope: PlanEnvelope }> {
  const hubKey = fromBase64Url(app.get(DocumentSigner).publicKey)!;
  const envelope = verifyDocument(sodium, JSON.parse(json), hubKey) as unknown as PlanEnvelope;
  expect(envelope.formatVersion).toBe(2);
  const body = async (ref: PlanBodyRef): Promise<unknown> => {
    const text = await app.get(PlansService).body(ref.sha256);
    if (text === null) throw new Error(`body ${ref.sha256} is not stored`);
    expect(planBodyRef(text)).toEqual(ref);
    return JSON.parse(text);
  };
  const plan = assemblePlan(
    envelope,
    (await body(envelope.timeline)) as PlanTimelineBody,
    (await body(envelope.catalogue)) as PlanCatalogueBody,
  );
  return { plan, envelope };
}
