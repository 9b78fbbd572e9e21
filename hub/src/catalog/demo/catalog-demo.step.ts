import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import type { DemoContext, DemoSeedStep } from '../../demo/demo-seed-registry';
import { IngestRunner } from '../ingest/ingest-runner';
import { UploadService } from '../ingest/upload.service';
import { DEMO_TRACKS, generateDemoMaster, type DemoFormat } from '../media';

/**
 * The catalogue's part of the first-run demo: a handful of short generated masters (no audio is committed), uploaded
 * through the same path as a rights owner's uploads and ingested before the hub starts listening, so the demo
 * catalogue is ready to audition. Masters are generated two at a time (ffmpeg is single-threaded per run).
 */
@Injectable()
export class CatalogDemoStep implements DemoSeedStep {
  readonly name = 'catalogue: generate and ingest demo tracks';
  private readonly logger = new Logger('CatalogDemo');

  constructor(
    private readonly uploads: UploadService,
    private readonly runner: IngestRunner,
  ) {}

  async run(context: DemoContext): Promise<void> {
    const started = Date.now();
    const dir = await mkdtemp(path.join(tmpdir(), 'roomtone-demo-audio-'));
    try {
      const formats: DemoFormat[] = ['mp3', 'mp3', 'flac', 'mp3', 'flac'];
      const files = DEMO_TRACKS.map((spec, i) => ({ spec, format: formats[i % formats.length] })).map((t, i) => ({
        ...t,
        file: path.join(dir, `demo-${i + 1}.${t.format}`),
      }));
      for (let i = 0; i < files.length; i += 2) {
        await Promise.all(files.slice(i, i + 2).map((t) => generateDemoMaster(t.spec, t.file, t.format)));
      }
      for (const t of files) {
        await this.uploads.upload(
          context.label.id,
          { body: createReadStream(t.file), filename: path.basename(t.file) },
          null,
          context.users.rights_owner.id,
        );
      }
      await this.runner.whenIdle();
      this.logger.log({ msg: 'demo tracks ready', count: files.length, ms: Date.now() - started });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
