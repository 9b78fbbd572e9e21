import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { booleanDefault, migrationColumns as c } from '../columns';

/** Play intake (hub/src/plays): plays, the signed batches they came in, per-appliance sequence state and gaps. */
export class Plays1795500400000 implements MigrationInterface {
  name = 'Plays1795500400000';

  async up(q: QueryRunner): Promise<void> {
    const bigint = (name: string) => ({ name, type: 'bigint' });
    const integer = (name: string) => ({ name, type: 'integer' });
    await q.createTable(
      new Table({
        name: 'plays',
        columns: [
          { ...c.ref('appliance_id'), isPrimary: true },
          { ...c.ref('play_id'), isPrimary: true },
          integer('sequence'),
          c.ref('zone_id', true),
          c.ref('venue_id'),
          c.ref('track_id'),
          c.text('isrc', 12, true),
          c.text('title', 300, true),
          c.text('artist', 300, true),
          c.text('album', 300, true),
          c.text('label', 200, true),
          bigint('started_at'),
          bigint('ends_at'),
          { name: 'seconds_audible', type: 'double precision' },
          c.text('time_zone', 64),
          c.text('block_id', 100, true),
          { name: 'rule', type: 'text', isNullable: true },
          c.ref('programme_id', true),
          c.ref('plan_id', true),
          c.text('source', 16),
          c.text('quality', 8),
          { name: 'offline', type: 'boolean', default: booleanDefault(q.connection.options.type, false) },
          c.text('ended', 16),
          c.text('prev_hash', 64),
          c.text('hash', 64),
          c.text('flags', 200),
          bigint('received_at'),
          c.ref('batch_id'),
        ],
        indices: [
          { name: 'UQ_plays_appliance_sequence', columnNames: ['appliance_id', 'sequence'], isUnique: true },
          { name: 'IDX_plays_zone_started', columnNames: ['zone_id', 'started_at'] },
          { name: 'IDX_plays_venue_started', columnNames: ['venue_id', 'started_at'] },
          { name: 'IDX_plays_track_started', columnNames: ['track_id', 'started_at'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'play_batches',
        columns: [
          c.id(),
          c.ref('appliance_id'),
          bigint('received_at'),
          c.text('digest', 200),
          { name: 'signature_input', type: 'text' },
          { name: 'signature', type: 'text' },
          integer('count'),
          integer('accepted'),
          integer('duplicates'),
          integer('conflicts'),
        ],
        indices: [{ name: 'IDX_play_batches_appliance_received', columnNames: ['appliance_id', 'received_at'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'play_sequences',
        columns: [
          { ...c.ref('appliance_id'), isPrimary: true },
          integer('stored_through'),
          integer('max_sequence'),
          bigint('updated_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'play_gaps',
        columns: [
          { ...c.ref('appliance_id'), isPrimary: true },
          { ...integer('from_sequence'), isPrimary: true },
          integer('to_sequence'),
          bigint('recorded_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('play_gaps');
    await q.dropTable('play_sequences');
    await q.dropTable('play_batches');
    await q.dropTable('plays');
  }
}
