// Ingest of N four-minute FLAC masters through the hub (upload check, SHA-256, database rows, persisted jobs,
// analysis, renditions) against running the same ffmpeg commands directly with the same concurrency.
// Runs are ordered direct, hub, hub, direct (ABBA) so that a machine getting busier or quieter during the benchmark
// does not favour either side; each side's figure is the sum of its two runs.
// Usage: node bench/run.js bench/ingest/ingest.ts [masters=20] [concurrency=2]
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../hub/src/app.module';
import { IngestRunner } from '../../hub/src/catalog/ingest/ingest-runner';
import { UploadService } from '../../hub/src/catalog/ingest/upload.service';
import * as media from '../../hub/src/catalog/media';
import { OrganisationsRepository } from '../../hub/src/tenancy';

const count = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 2);

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'roomtone-bench-ingest-'));
  process.env.ROOMTONE_DEMO_SEED = 'false';
  process.env.LOG_LEVEL = 'warn';
  process.env.ROOMTONE_INGEST_CONCURRENCY = String(concurrency);
  delete process.env.DATABASE_URL;

  console.log(
    `ffmpeg: ${media.findFfmpeg().path} (${media.findFfmpeg().source}); ${os.cpus().length} CPUs; load ${os.loadavg()[0].toFixed(1)}`,
  );
  // One 30 s piece of generated music, looped to 4 minutes; each master at a different gain so each is distinct content.
  const base = path.join(root, 'base.wav');
  await media.generateDemoMaster(
    { ...media.DEMO_TRACKS[1], seconds: 30, leadingSilenceSeconds: 0, trailingSilenceSeconds: 0 },
    base,
    'wav',
  );
  const masters: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(root, `master-${i}.flac`);
    await media.runFfmpeg([
      '-y',
      '-v',
      'error',
      '-stream_loop',
      '7',
      '-i',
      base,
      '-af',
      `volume=${(-i * 0.37).toFixed(2)}dB`,
      '-c:a',
      'flac',
      file,
    ]);
    masters.push(file);
  }
  console.log(`${count} masters of 240 s FLAC generated`);

  let run = 0;
  // Reference: the same ffmpeg commands, no hub.
  const direct = async (): Promise<number> => {
    const refDir = path.join(root, `ref-${run++}`);
    await mkdir(refDir);
    const started = performance.now();
    await pool(masters, concurrency, async (file) => {
      const info = await media.probeMaster(file);
      await media.runFfmpeg(media.verifyArgs(file));
      const analysis = await media.analyseMaster(file, info.durationSeconds);
      const plan = media.planRenditions(info, analysis);
      const name = path.basename(file);
      const [delivery, preview] = [path.join(refDir, `${name}.d.mp3`), path.join(refDir, `${name}.p.mp3`)];
      await media.runFfmpeg(media.renditionArgs(file, plan, info, delivery, preview));
    });
    return (performance.now() - started) / 1000;
  };
  // The hub: uploads (stream to disk, SHA-256, probe, decode check, rows) then persisted jobs, on a fresh database.
  const hub = async (): Promise<number> => {
    process.env.ROOMTONE_DATA_DIR = path.join(root, `hub-${run++}`);
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
    const label = await app.get(OrganisationsRepository).create({ kind: 'label', name: 'Bench Records' });
    const uploads = app.get(UploadService);
    const runner = app.get(IngestRunner);
    const started = performance.now();
    await pool(masters, concurrency, async (file) => {
      await uploads.upload(label.id, { body: createReadStream(file), filename: path.basename(file) }, null);
    });
    await runner.whenIdle();
    const seconds = (performance.now() - started) / 1000;
    await app.close();
    return seconds;
  };
  const runs = [await direct(), await hub(), await hub(), await direct()];
  console.log(`runs (direct, hub, hub, direct): ${runs.map((r) => r.toFixed(1)).join(', ')} s`);
  const refSeconds = (runs[0] + runs[3]) / 2;
  const hubSeconds = (runs[1] + runs[2]) / 2;

  const ratio = hubSeconds / refSeconds;
  console.log(`masters: ${count} x 240 s FLAC, concurrency ${concurrency}`);
  console.log(
    `ffmpeg commands directly (mean of 2): ${refSeconds.toFixed(1)} s wall (${((count * 240) / refSeconds).toFixed(0)}x realtime)`,
  );
  console.log(
    `hub ingest, upload + jobs (mean of 2): ${hubSeconds.toFixed(1)} s wall (${((count * 240) / hubSeconds).toFixed(0)}x realtime)`,
  );
  console.log(`ratio hub / direct: ${ratio.toFixed(3)} (target <= 1.15: ${ratio <= 1.15 ? 'met' : 'NOT met'})`);
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await rm(root, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
