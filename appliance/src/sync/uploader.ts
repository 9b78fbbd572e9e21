import { MAX_PLAYS_PER_BATCH, type PlayBatchResult } from '@roomtone/provisioning';
import type { SqlitePlayLog } from '../playlog/play-log';
import type { HubClient } from './hub-client';
import type { SyncLogger } from './logger';

/**
 * Sends closed plays to the hub, oldest first, in signed batches of at most 1000, and deletes the log's copies up to
 * the hub's `storedThrough` only (after the hub made the batch durable). A batch the hub did not fully store (a gap
 * below it) stops the drain: the next round resends from the oldest unacknowledged play, which the hub counts once.
 */
export class PlayUploader {
  constructor(
    private readonly log: SqlitePlayLog,
    private readonly client: HubClient,
    private readonly logger: SyncLogger = () => undefined,
    private readonly batchSize = MAX_PLAYS_PER_BATCH,
  ) {}

  /** Uploads until nothing is pending; returns how many plays the hub acknowledged. Throws on a failed request. */
  async drain(): Promise<number> {
    let acknowledged = 0;
    for (;;) {
      const plays = this.log.pending(Math.min(this.batchSize, MAX_PLAYS_PER_BATCH));
      if (plays.length === 0) return acknowledged;
      const { body } = await this.client.json('POST', '/appliance/v1/plays', { json: { plays } });
      const result = body as PlayBatchResult;
      if (typeof result?.storedThrough !== 'number')
        throw new Error('hub answered the play batch without storedThrough');
      const deleted = this.log.acknowledge(result.storedThrough);
      acknowledged += deleted;
      this.logger({
        event: 'plays-uploaded',
        sent: plays.length,
        accepted: result.accepted,
        duplicates: result.duplicates,
        storedThrough: result.storedThrough,
        flagged: result.flagged?.length ?? 0,
      });
      if (result.storedThrough < plays[plays.length - 1].sequence) {
        this.logger({ event: 'plays-gap', storedThrough: result.storedThrough, gaps: result.gaps });
        return acknowledged;
      }
    }
  }
}
