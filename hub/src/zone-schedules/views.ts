/** A published version's summary. */
export interface ScheduleVersionSummary {
  version: number;
  publishedAt: string;
  publishedByUserId: string | null;
  /** The plan compiled when it was published. */
  planId: string | null;
  programmeIds: string[];
}

/** A published version with its document. */
export interface ScheduleVersionView extends ScheduleVersionSummary {
  document: unknown;
}

/** GET /zones/:zoneId/schedule. */
export interface ZoneScheduleView {
  zoneId: string;
  /** The venue's time zone: every rule of the schedule is read in it. */
  timeZone: string;
  draft: { document: unknown; updatedAt: string; updatedByUserId: string | null } | null;
  published: ScheduleVersionSummary | null;
}

/** POST /zones/:zoneId/schedule/publish. */
export interface PublishResult {
  version: number;
  planId: string;
  publishedAt: string;
}

/** GET /zones/:zoneId/schedule/conflicts: overlapping occurrences of equal priority in the window. */
export interface ScheduleConflictsView {
  /** Which document was checked: the draft when there is one, else the latest published version; null: neither. */
  source: 'draft' | 'published' | null;
  version: number | null;
  conflicts: { start: string; end: string; priority: number; blocks: { blockId: string; occurrence: string }[] }[];
}
