import { Column, type ColumnOptions, type TableColumnOptions, type ValueTransformer } from 'typeorm';

/** Dates stored as ISO 8601 UTC text (`2026-11-24T01:58:14.123Z`, always 24 characters): portable and sortable. */
export const isoInstant: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : value),
  from: (value: string | null) => (value === null || value === undefined ? value : new Date(value)),
};

/** Dates stored as bigint milliseconds since the epoch (PostgreSQL returns bigint as a string; both read back). */
export const msInstant: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value),
  from: (value: string | number | null) => (value === null || value === undefined ? value : new Date(Number(value))),
};

/** Integers stored as bigint, read back as numbers (safe up to 2^53; for money in minor units and byte counts). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

/** A UTC instant column, ISO text (see README.md). Pass `nullable: true` for optional instants. */
export function InstantColumn(options: Omit<ColumnOptions, 'type' | 'length' | 'transformer'> = {}): PropertyDecorator {
  return Column({ ...options, type: 'varchar', length: 24, transformer: isoInstant });
}

/** A uuid v7 reference column (primary keys use `@PrimaryColumn(ID_COLUMN)`). */
export const ID_COLUMN = { type: 'varchar', length: 36 } as const;

/** The same column shape as ID_COLUMN, for `Table` definitions in migrations. */
export const ID_TABLE_COLUMN = { type: 'varchar', length: '36' } as const;

/** InstantColumn's shape, for `Table` definitions in migrations. */
export const INSTANT_TABLE_COLUMN = { type: 'varchar', length: '24' } as const;

/**
 * A boolean column's DEFAULT for a migration. Migration defaults are raw SQL and the two databases spell booleans
 * differently (SQLite stores 0/1, which is what TypeORM compares entities against); pass the QueryRunner's type.
 */
export function booleanDefault(databaseType: string, value: boolean): string {
  if (databaseType === 'postgres') return value ? 'true' : 'false';
  return value ? '1' : '0';
}

/** Column builders for `Table` definitions in migrations, so every migration spells ids, text and instants alike. */
export const migrationColumns = {
  /** The uuid v7 primary key `id`. */
  id: (): TableColumnOptions => ({ name: 'id', ...ID_TABLE_COLUMN, isPrimary: true }),
  /** A uuid v7 reference to another row. */
  ref: (name: string, nullable = false): TableColumnOptions => ({ name, ...ID_TABLE_COLUMN, isNullable: nullable }),
  /** A varchar of at most `length` characters. */
  text: (name: string, length: number, nullable = false): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: nullable,
  }),
  /** An instant, stored as InstantColumn stores it. */
  instant: (name: string, nullable = false): TableColumnOptions => ({
    name,
    ...INSTANT_TABLE_COLUMN,
    isNullable: nullable,
  }),
};
