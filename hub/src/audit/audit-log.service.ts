import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';
import type { AuditQueryDto } from './audit-query.dto';

/** An audit entry as the API returns it. */
export interface AuditEntryView {
  id: string;
  occurredAt: string;
  actor: { userId: string | null; email: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  organisationId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

function parse(json: string | null): unknown {
  return json === null ? null : JSON.parse(json);
}

/** Reads the audit log for operators. */
@Injectable()
export class AuditLogService {
  constructor(private readonly dataSource: DataSource) {}

  /** Entries matching `query`, newest first; ids are time-ordered (uuid v7), so paging by id is paging by time. */
  async list(query: AuditQueryDto): Promise<{ items: AuditEntryView[]; nextBefore: string | null }> {
    const limit = query.limit ?? 50;
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (query.entityType !== undefined) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId !== undefined) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorUserId !== undefined) qb.andWhere('a.actor_user_id = :actor', { actor: query.actorUserId });
    if (query.action !== undefined) qb.andWhere('a.action = :action', { action: query.action });
    if (query.before !== undefined) qb.andWhere('a.id < :before', { before: query.before });
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .take(limit + 1)
      .getMany();
    const items = rows.slice(0, limit).map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      actor: { userId: e.actorUserId, email: e.actorEmail },
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      organisationId: e.organisationId,
      before: parse(e.before),
      after: parse(e.after),
      requestId: e.requestId,
    }));
    return { items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
  }
}
