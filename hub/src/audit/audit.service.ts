import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { currentRequestId } from '../common/http/request-context';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import type { Principal } from '../auth/access/principal';
import { AuditEntry } from './audit-entry.entity';

/** One change to record. Summaries hold the changed fields only, never secrets (hashes, tokens, passwords). */
export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string | null;
  organisationId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** The fields that differ between two summaries, as a before/after pair holding only those fields. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changedBefore[key] = before[key];
      changedAfter[key] = after[key];
    }
  }
  return { before: changedBefore, after: changedAfter };
}

/** Writes the audit log. Pass the transaction's EntityManager so the entry commits (or not) with the change. */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Records `change` made by `actor` (null for the hub itself, e.g. a lockout) in the current request. */
  async record(actor: Principal | null, change: AuditChange, manager?: EntityManager): Promise<void> {
    const repo = (manager ?? this.dataSource.manager).getRepository(AuditEntry);
    await repo.insert({
      id: this.ids.next(),
      occurredAt: this.clock.now(),
      actorUserId: actor?.userId ?? null,
      actorEmail: actor?.email ?? null,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      organisationId: change.organisationId ?? null,
      before: change.before ? JSON.stringify(change.before) : null,
      after: change.after ? JSON.stringify(change.after) : null,
      requestId: currentRequestId() ?? null,
    });
  }
}
