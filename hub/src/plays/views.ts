import type { PlayFlag, PlaySource } from '@roomtone/provisioning';

/** One play as venue managers and operators see it. */
export interface PlayView {
  playId: string;
  applianceId: string;
  sequence: number;
  zoneId: string | null;
  trackId: string;
  isrc: string | null;
  title: string | null;
  artist: string | null;
  album: string | null;
  label: string | null;
  startedAt: string;
  secondsAudible: number;
  timeZone: string;
  blockId: string | null;
  rule: string | null;
  programmeId: string | null;
  planId: string | null;
  source: PlaySource;
  quality: 'full' | 'preview';
  offline: boolean;
  ended: 'completed' | 'stopped' | 'interrupted';
  flags: PlayFlag[];
  receivedAt: string;
}

export interface PlayPage {
  plays: PlayView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Plays of one track per UTC day: what a rights owner's statements are built from. */
export interface TrackPlaysSummary {
  trackId: string;
  from: string;
  to: string;
  total: { plays: number; flagged: number; secondsAudible: number };
  days: { day: string; plays: number; flagged: number; secondsAudible: number }[];
}
