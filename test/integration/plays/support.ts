import { createHash } from 'node:crypto';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { canonicalBytes, type PlayRecord } from '@roomtone/provisioning';
import { Track } from '../../../hub/src/catalog/entities/track.entity';
import { IdGenerator } from '../../../hub/src/common/ids/id-generator';
import { Clock } from '../../../hub/src/common/time/clock';
import type { FreshDatabase } from '../../support/databases';

export const GENESIS = '0'.repeat(64);

/** SHA-256 hex of the RFC 8785 canonical JSON of the record without `hash` (computed here, not by the hub). */
export function hashOf(record: Omit<PlayRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalBytes(record)).digest('hex');
}

/** A uuid for play ids: deterministic per (prefix, n) so tests can name them. */
export function playUuid(tag: number, n: number): string {
  const hex = (tag * 1_000_000 + n).toString(16).padStart(12, '0');
  return `0193a000-0000-4000-8000-${hex}`;
}

/**
 * A correctly chained run of plays `from..to` of one appliance: each starts `spacingS` after the previous, is
 * audible `audibleS` seconds; `previous` is the hash before `from` (genesis for 1). `edit` may change a record
 * before it is hashed.
 */
export function chain(options: {
  tag: number;
  from: number;
  to: number;
  trackId: string;
  startAt: string;
  previous?: string;
  spacingS?: number;
  audibleS?: number;
  edit?: (r: Omit<PlayRecord, 'hash'>) => void;
}): PlayRecord[] {
  const spacing = options.spacingS ?? 200;
  const out: PlayRecord[] = [];
  let prev = options.previous ?? (options.from === 1 ? GENESIS : undefined);
  if (prev === undefined) throw new Error('chain: give previous for a run that does not start at 1');
  for (let s = options.from; s <= options.to; s += 1) {
    const record: Omit<PlayRecord, 'hash'> = {
      playId: playUuid(options.tag, s),
      sequence: s,
      prevHash: prev,
      trackId: options.trackId,
      planId: null,
      programmeId: null,
      blockId: 'morning',
      rule: 'FREQ=DAILY;BYHOUR=8',
      startedAt: new Date(Date.parse(options.startAt) + (s - options.from) * spacing * 1000).toISOString(),
      secondsAudible: options.audibleS ?? 179.5,
      source: 'scheduled',
      quality: 'full',
      offline: false,
      ended: 'completed',
    };
    options.edit?.(record);
    const hash = hashOf(record);
    out.push({ ...record, hash } as PlayRecord);
    prev = hash;
  }
  return out;
}

/** A ready catalogue track owned by `labelId` (inserted directly: ingest is not what these suites test). */
export async function insertTrack(
  app: INestApplication,
  labelId: string,
  fields: { title: string; durationMs: number; isrc?: string; artist?: string },
): Promise<string> {
  const id = app.get(IdGenerator).next();
  const now = app.get(Clock).now();
  await app
    .get(DataSource)
    .getRepository(Track)
    .insert({
      id,
      ownerOrganisationId: labelId,
      status: 'ready',
      contentSha256: id.replace(/-/g, '').padEnd(64, '0'),
      title: fields.title,
      artist: fields.artist ?? 'The Testers',
      album: 'Fixtures',
      label: 'Test Records',
      year: 2026,
      isrc: fields.isrc ?? null,
      genre: null,
      mood: null,
      bpm: null,
      explicit: false,
      durationMs: fields.durationMs,
      masterFormat: 'mp3',
      masterSizeBytes: 1000,
      masterBitrate: 320,
      originalFilename: null,
      uploadedByUserId: null,
      createdAt: now,
      updatedAt: now,
    });
  return id;
}

/** Runs `sql` on a NEW connection to the suite's database (not the hub's): what is durable, not what is cached. */
export async function freshConnectionQuery<T>(db: FreshDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
  if (db.kind === 'sqlite') {
    const connection = new Database(path.join(db.dataDir, 'roomtone.sqlite'), { readonly: true });
    try {
      return connection.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as T[];
    } finally {
      connection.close();
    }
  }
  const client = new Client({ connectionString: db.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
