import { Injectable } from '@nestjs/common';

/**
 * Runs async jobs one at a time. TypeORM's SQLite driver shares one connection between query runners, so two
 * transactions started concurrently in one process would nest ("cannot start a transaction within a transaction");
 * queueing the few multi-statement transactions of this feature (one shared instance) avoids that. PostgreSQL needs no help, and the
 * cost there is negligible (enrolments and revocations are rare).
 */
@Injectable()
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `job` after every job queued before it; its result or error is passed through. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
