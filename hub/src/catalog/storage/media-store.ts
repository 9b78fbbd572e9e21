import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MediaRejectedError } from '../media';
import type { MasterFormat } from '../media';

/** An upload written to the incoming folder, identified by its content. */
export interface ReceivedFile {
  path: string;
  sha256: string;
  sizeBytes: number;
}

class TooLarge extends Error {}

/**
 * The catalogue's files under `<data dir>/media`: uploads land in `incoming/` (streamed, hashed and size-checked on
 * the way, never held in memory), then move into `tracks/<id>/` next to their renditions.
 */
@Injectable()
export class MediaStore {
  readonly root: string;

  constructor(config: AppConfig) {
    this.root = path.join(config.dataDir, 'media');
  }

  private get incomingDir(): string {
    return path.join(this.root, 'incoming');
  }

  trackDir(trackId: string): string {
    return path.join(this.root, 'tracks', trackId);
  }

  masterPath(trackId: string, format: MasterFormat): string {
    return path.join(this.trackDir(trackId), `master.${format}`);
  }

  deliveryPath(trackId: string): string {
    return path.join(this.trackDir(trackId), 'delivery.mp3');
  }

  previewPath(trackId: string): string {
    return path.join(this.trackDir(trackId), 'preview.mp3');
  }

  /**
   * Streams `source` to a new file in incoming/, computing its SHA-256 as it goes. More than `maxBytes` aborts the
   * transfer, deletes what was written and throws TOO_LARGE; any other failure deletes it too.
   */
  async receive(source: Readable, maxBytes: number): Promise<ReceivedFile> {
    await mkdir(this.incomingDir, { recursive: true });
    const file = path.join(this.incomingDir, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new TooLarge());
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      await rm(file, { force: true });
      if (error instanceof TooLarge) throw tooLarge(maxBytes);
      throw error;
    }
    return { path: file, sha256: hash.digest('hex'), sizeBytes: size };
  }

  /** Moves a received upload into its track's folder as the master. */
  async adoptMaster(received: ReceivedFile, trackId: string, format: MasterFormat): Promise<string> {
    await mkdir(this.trackDir(trackId), { recursive: true });
    const target = this.masterPath(trackId, format);
    await rename(received.path, target);
    return target;
  }

  async discard(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  async removeTrack(trackId: string): Promise<void> {
    await rm(this.trackDir(trackId), { recursive: true, force: true });
  }

  /** Deletes uploads a previous run left half-received (it stopped mid-transfer): nothing refers to them. */
  async sweepIncoming(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.incomingDir);
    } catch {
      return 0;
    }
    await Promise.all(names.map((name) => rm(path.join(this.incomingDir, name), { force: true })));
    return names.length;
  }
}

/** The refusal for an upload over the configured limit. */
export function tooLarge(maxBytes: number): MediaRejectedError {
  return new MediaRejectedError(
    'TOO_LARGE',
    `the upload is larger than the ${Math.round(maxBytes / (1024 * 1024))} MB limit (ROOMTONE_MAX_UPLOAD_MB); upload a smaller master`,
  );
}
