import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrationColumns as c } from '../columns';

/**
 * What appliance delivery needs to know about a ready track's renditions without touching its files: the delivery
 * file's size and SHA-256 (the plaintext facts every encrypted download is built from), the preview's size, and a
 * version bumped whenever a rendition file is replaced (so ETags and appliance caches change with the bytes). Tracks
 * made ready before this migration get their facts filled lazily (RenditionFacts in hub/src/catalog).
 */
export class TrackRenditionFacts1795500050000 implements MigrationInterface {
  name = 'TrackRenditionFacts1795500050000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('tracks', [
      new TableColumn({ name: 'delivery_size_bytes', type: 'bigint', isNullable: true }),
      new TableColumn(c.text('delivery_sha256', 64, true)),
      new TableColumn({ name: 'preview_size_bytes', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'rendition_version', type: 'integer', isNullable: false, default: 1 }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['rendition_version', 'preview_size_bytes', 'delivery_sha256', 'delivery_size_bytes']) {
      await q.dropColumn('tracks', name);
    }
  }
}
