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
