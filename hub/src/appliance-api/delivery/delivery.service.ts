import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fromBase64Url, publicKeyId, TrackEncryptor, type Sodium } from '@roomtone/provisioning';
import type { Appliance } from '../../appliances/entities/appliance.entity';
import { RenditionFacts, type TrackWithFacts } from '../../catalog/rendition-facts';
import { TracksRepository } from '../../catalog/repositories/tracks.repository';
import { MediaStore } from '../../catalog/storage/media-store';
import { AppError, ErrorCode } from '../../common/errors';
import { LicencesService } from '../../licences/licences.service';
import { SODIUM } from '../../trust/sodium.provider';
import { TrackSecret } from '../../trust/track-secret.provider';
import { DeliveryMetrics } from './delivery-metrics';
import { encryptedSize, sendEncryptedRange, type EncryptedRange } from './encrypted-body';
import { ZONE_PLAN_TRACKS, type ZonePlanTracks } from './zone-plan-tracks';

/** Which rendition a request asks for: the encrypted delivery file (full licence) or the preview (any licence). */
export type DeliveryKind = 'full' | 'preview';

/** A body that can be served whole or by byte range. */
export interface Deliverable {
  etag: string;
  size: number;
  contentType: string;
  /**
   * Writes bytes [start, end] (inclusive) to `out` and ends it, honouring back-pressure; returns early when `out`
   * closes (the client went away). Closes every file it opened.
   */
  send(range: EncryptedRange, out: Writable): Promise<void>;
}

/**
 * Appliance delivery (docs/appliance-api.md): decides whether the calling appliance may have a track, and builds the
 * body: the delivery rendition encrypted for that appliance alone (provisioning/FORMAT.md), or the preview.
 */
@Injectable()
export class DeliveryService {
  constructor(
    @Inject(SODIUM) private readonly sodium: Sodium,
    private readonly secret: TrackSecret,
    private readonly tracks: TracksRepository,
    private readonly facts: RenditionFacts,
    private readonly store: MediaStore,
    private readonly licences: LicencesService,
    @Inject(ZONE_PLAN_TRACKS) private readonly plans: ZonePlanTracks,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /** The track encrypted for `appliance`, when its zone's plan names it and the licence in force is full. */
  async encrypted(appliance: Appliance, trackId: string): Promise<Deliverable> {
    const track = await this.authorise(appliance, trackId, 'full');
    const recipient = fromBase64Url(appliance.encryptionKey, 32);
    if (!recipient) throw new Error(`appliance ${appliance.id} has a malformed encryption key`);
    const encryptor = new TrackEncryptor(this.sodium, {
      hubSecret: this.secret.bytes(),
      recipientPublicKey: recipient,
      applianceId: appliance.id,
      trackId: track.id,
      renditionVersion: track.renditionVersion,
      plaintextLength: track.deliverySizeBytes,
      plaintextSha256: Buffer.from(track.deliverySha256, 'hex'),
    });
    const file = this.store.deliveryPath(track.id);
    return {
      // The bytes depend on the secret, the appliance's key and id too: a change of any of them changes the tag.
      etag: `"${track.id}.${track.renditionVersion}.${publicKeyId(
        Buffer.concat([this.secret.fingerprint, recipient, Buffer.from(appliance.id)]),
      )}"`,
      size: encryptedSize(encryptor),
      contentType: 'application/octet-stream',
      send: (range, out) =>
        sendEncryptedRange(encryptor, file, track.deliverySizeBytes, range, out, (n) =>
          this.metrics.served('encrypted', n),
        ),
    };
  }

  /** The preview rendition (any licence tier), when the zone's plan names the track. */
  async preview(appliance: Appliance, trackId: string): Promise<Deliverable> {
    const track = await this.authorise(appliance, trackId, 'preview');
    const file = this.store.previewPath(track.id);
    return {
      etag: `"${track.id}.${track.renditionVersion}.preview"`,
      size: track.previewSizeBytes,
      contentType: 'audio/mpeg',
      send: async (range, out) => {
        const stream = createReadStream(file, { start: range.start, end: range.end, highWaterMark: 64 * 1024 });
        stream.on('data', (chunk: Buffer | string) => this.metrics.served('preview', chunk.length));
        await pipeline(stream, out);
      },
    };
  }

  private async authorise(appliance: Appliance, trackId: string, kind: DeliveryKind): Promise<TrackWithFacts> {
    const zoneId = appliance.zoneId;
    if (zoneId === null) {
      throw new AppError(
        ErrorCode.NotInPlan,
        'this appliance is not placed in a zone, so it has no plan and no tracks; an installer must assign it to a zone',
        { trackId },
      );
    }
    const licence = await this.licences.effectiveLicence(zoneId);
    if (licence === null) {
      throw new AppError(
        ErrorCode.NoLicence,
        "no licence is in force for this appliance's zone, so nothing may be delivered; the venue's operator must add or renew its licence",
        { zoneId },
      );
    }
    const planned = await this.plans.trackIds(zoneId);
    if (planned === null || !planned.has(trackId)) {
      throw new AppError(
        ErrorCode.NotInPlan,
        planned === null
          ? `the zone has no plan yet, so track ${trackId} cannot be delivered; publish the zone's schedule`
          : `track ${trackId} is not in this zone's current plan; fetch the plan again and download only the tracks it lists`,
        { trackId, zoneId },
      );
    }
    if (kind === 'full' && licence.tier !== 'full') {
      throw new AppError(
        ErrorCode.PreviewOnly,
        `the venue's licence covers previews only; stream GET /appliance/v1/tracks/${trackId}/preview instead, or ask the operator for a full licence`,
        { trackId, licenceId: licence.licenceId },
      );
    }
    const track = await this.tracks.findById(trackId);
    if (track === null || track.status !== 'ready') {
      throw new AppError(
        ErrorCode.NotFound,
        `track ${trackId} is in the plan but has no renditions (it is ${track?.status ?? 'deleted'}); fetch the plan again`,
        { trackId },
      );
    }
    return this.facts.ensure(track);
  }
}
