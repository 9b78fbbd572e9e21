import type { TrackStatus } from '../entities/track.entity';

/** Which tracks a caller may find: operators all; otherwise their labels' tracks, plus the ready catalogue if allowed. */
export type CatalogVisibility = { all: true } | { all: false; ownerIds: readonly string[]; readyCatalogue: boolean };

export const TRACK_SORTS = ['relevance', 'title', 'artist', 'created', 'duration', 'bpm'] as const;
export type TrackSort = (typeof TRACK_SORTS)[number];

/** A catalogue search: optional full text, filters, one sort, a page. */
export interface TrackSearchQuery {
  /** Words to find in title, artist, album, label, genre or mood; each word matches as a prefix, all must match. */
  text?: string;
  genre?: string;
  mood?: string;
  bpmMin?: number;
  bpmMax?: number;
  durationMinMs?: number;
  durationMaxMs?: number;
  explicit?: boolean;
  ownerOrganisationId?: string;
  status?: TrackStatus;
  sort: TrackSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  visibility: CatalogVisibility;
}

/** One page of ids, in order, and how many tracks match in all (counted up to a cap). */
export interface TrackSearchPage {
  ids: string[];
  total: number;
  /** True when more tracks match than `total` says (the count stopped at its cap). */
  totalCapped: boolean;
}

/**
 * The words of a free-text query, lowercased, letters and digits only: what both databases' query syntaxes receive,
 * so no user input is ever parsed as FTS5 or tsquery operators.
 */
export function searchTerms(text: string | undefined): string[] {
  if (!text) return [];
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}
