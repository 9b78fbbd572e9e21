import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { searchTerms, type TrackSearchPage, type TrackSearchQuery } from './track-search-query';

/**
 * Full-text search and filtering over the catalogue. One implementation per database, because the text index differs
 * (SQLite FTS5, PostgreSQL tsvector + GIN); filters, visibility, sorting and paging are shared SQL.
 */
export abstract class CatalogSearchRepository {
  abstract search(query: TrackSearchQuery): Promise<TrackSearchPage>;
}

/**
 * Totals are counted up to this many: counting every match of a broad query ("a") costs as much as the search itself
 * and nobody pages that far; beyond it the page says `totalCapped`.
 */
export const TOTAL_CAP = 1000;

function page(rows: { id: string }[], counted: number): TrackSearchPage {
  return { ids: rows.map((r) => r.id), total: Math.min(counted, TOTAL_CAP), totalCapped: counted > TOTAL_CAP };
}

/** Builds the shared WHERE/ORDER BY with the database's placeholder style. */
class SqlParts {
  readonly where: string[] = [];
  readonly params: unknown[] = [];

  constructor(private readonly placeholder: (index: number) => string) {}

  bind(value: unknown): string {
    this.params.push(value);
    return this.placeholder(this.params.length);
  }

  list(values: readonly unknown[]): string {
    return values.map((v) => this.bind(v)).join(', ');
  }
}

const SORT_COLUMNS = {
  title: 't.title',
  artist: 't.artist',
  created: 't.created_at',
  duration: 't.duration_ms',
  bpm: 't.bpm',
} as const;

function applyFilters(parts: SqlParts, q: TrackSearchQuery, falseLiteral: string, trueLiteral: string): void {
  const v = q.visibility;
  if (!v.all) {
    const clauses: string[] = [];
    if (v.ownerIds.length > 0) clauses.push(`t.owner_organisation_id IN (${parts.list(v.ownerIds)})`);
    if (v.readyCatalogue) clauses.push(`t.status = ${parts.bind('ready')}`);
    parts.where.push(clauses.length > 0 ? `(${clauses.join(' OR ')})` : '1 = 0');
  }
  if (q.status) parts.where.push(`t.status = ${parts.bind(q.status)}`);
  if (q.ownerOrganisationId) parts.where.push(`t.owner_organisation_id = ${parts.bind(q.ownerOrganisationId)}`);
  if (q.genre) parts.where.push(`lower(t.genre) = ${parts.bind(q.genre.toLowerCase())}`);
  if (q.mood) parts.where.push(`lower(t.mood) = ${parts.bind(q.mood.toLowerCase())}`);
  if (q.bpmMin !== undefined) parts.where.push(`t.bpm >= ${parts.bind(q.bpmMin)}`);
  if (q.bpmMax !== undefined) parts.where.push(`t.bpm <= ${parts.bind(q.bpmMax)}`);
  if (q.durationMinMs !== undefined) parts.where.push(`t.duration_ms >= ${parts.bind(q.durationMinMs)}`);
  if (q.durationMaxMs !== undefined) parts.where.push(`t.duration_ms <= ${parts.bind(q.durationMaxMs)}`);
  if (q.explicit !== undefined) parts.where.push(`t.explicit = ${q.explicit ? trueLiteral : falseLiteral}`);
}

function orderBy(q: TrackSearchQuery, relevance: string | undefined): string {
  const direction = q.order === 'desc' ? 'DESC' : 'ASC';
  if (q.sort === 'relevance') {
    // Relevance without words to rank by falls back to title order.
    return relevance ? `${relevance}, t.id ASC` : `t.title ${direction}, t.id ${direction}`;
  }
  return `${SORT_COLUMNS[q.sort]} ${direction}, t.id ${direction}`;
}

function whereClause(parts: SqlParts): string {
  return parts.where.length > 0 ? `WHERE ${parts.where.join(' AND ')}` : '';
}

/** SQLite: an FTS5 external-content table on tracks' rowid; bm25() ranks. */
@Injectable()
export class SqliteCatalogSearchRepository extends CatalogSearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async search(q: TrackSearchQuery): Promise<TrackSearchPage> {
    const parts = new SqlParts(() => '?');
    const terms = searchTerms(q.text);
    let from = 'tracks t';
    if (terms.length > 0) {
      from = 'tracks_fts JOIN tracks t ON t.rowid = tracks_fts.rowid';
      parts.where.push(`tracks_fts MATCH ${parts.bind(terms.map((w) => `"${w}"*`).join(' '))}`);
    }
    applyFilters(parts, q, '0', '1');
    const where = whereClause(parts);
    const order = orderBy(q, terms.length > 0 ? 'bm25(tracks_fts)' : undefined);
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT t.id AS id FROM ${from} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      [...parts.params, q.limit, q.offset],
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*) AS total FROM (SELECT 1 FROM ${from} ${where} LIMIT ${TOTAL_CAP + 1}) capped`,
      parts.params,
    );
    return page(rows, Number(total));
  }
}

/** PostgreSQL: a `track_search` tsvector table with a GIN index; ts_rank() ranks. */
@Injectable()
export class PostgresCatalogSearchRepository extends CatalogSearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async search(q: TrackSearchQuery): Promise<TrackSearchPage> {
    const parts = new SqlParts((i) => `$${i}`);
    const terms = searchTerms(q.text);
    let from = 'tracks t';
    let relevance: string | undefined;
    if (terms.length > 0) {
      const query = parts.bind(terms.map((w) => `${w}:*`).join(' & '));
      from = `track_search s JOIN tracks t ON t.id = s.track_id`;
      parts.where.push(`s.document @@ to_tsquery('simple', ${query})`);
      relevance = `ts_rank(s.document, to_tsquery('simple', ${query})) DESC`;
    }
    applyFilters(parts, q, 'false', 'true');
    const where = whereClause(parts);
    const limit = parts.params.length + 1;
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT t.id AS id FROM ${from} ${where} ORDER BY ${orderBy(q, relevance)} LIMIT $${limit} OFFSET $${limit + 1}`,
      [...parts.params, q.limit, q.offset],
    );
    const [{ total }]: { total: string }[] = await this.dataSource.query(
      `SELECT count(*) AS total FROM (SELECT 1 FROM ${from} ${where} LIMIT ${TOTAL_CAP + 1}) capped`,
      parts.params,
    );
    return page(rows, Number(total));
  }
}

/** The implementation for the configured database. */
export function catalogSearchRepositoryFor(dataSource: DataSource): CatalogSearchRepository {
  return dataSource.options.type === 'postgres'
    ? new PostgresCatalogSearchRepository(dataSource)
    : new SqliteCatalogSearchRepository(dataSource);
}
