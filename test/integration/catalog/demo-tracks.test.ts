import type { TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { DEMO_TRACKS } from '../../../hub/src/catalog/media';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { requireTool } from '../../support/require-tool';
import { cheapHasher } from '../authz/support/fixtures';
import { filesUnder } from './support';

jest.setTimeout(240_000);

describe('first run: the demo seed ingests generated demo tracks before the hub listens', () => {
  let db: FreshDatabase;
  let hub: TestHub;

  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    db = await freshDatabase('sqlite');
    hub = await startTestHub(db, {
      env: { ROOMTONE_DEMO_SEED: 'true' },
      customise: (builder: TestingModuleBuilder) => builder.overrideProvider(PasswordHasher).useValue(cheapHasher),
    });
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  test('every demo track is ready, with its tags, ISRC, loudness and both renditions on disk', async () => {
    const rows: { id: string; title: string; isrc: string; status: string; loudness_lufs: number | null }[] =
      await hub.app.get(DataSource).query('SELECT id, title, isrc, status, loudness_lufs FROM tracks ORDER BY title');
    expect(rows.map((r) => [r.title, r.isrc, r.status])).toEqual(
      [...DEMO_TRACKS].sort((x, y) => x.title.localeCompare(y.title)).map((t) => [t.title, t.isrc, 'ready']),
    );
    for (const row of rows) {
      expect(row.loudness_lufs).toBeLessThan(-10);
      const files = await filesUnder(`${hub.config.dataDir}/media/tracks/${row.id}`);
      expect(files.filter((f) => f !== 'master.mp3' && f !== 'master.flac').sort()).toEqual([
        'delivery.mp3',
        'preview.mp3',
      ]);
    }
    expect(await filesUnder(`${hub.config.dataDir}/media/incoming`)).toEqual([]);
  });
});
