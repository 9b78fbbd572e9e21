import { Controller, Get, Query } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { AuditLogService, type AuditEntryView } from './audit-log.service';
import { AuditQueryDto } from './audit-query.dto';

@Controller('audit')
export class AuditController {
  constructor(private readonly log: AuditLogService) {}

  /** Who changed what, newest first. Operators only: entries span every tenant. */
  @Get()
  @Access({ roles: ['operator'], scope: 'platform' })
  list(@Query() query: AuditQueryDto): Promise<{ items: AuditEntryView[]; nextBefore: string | null }> {
    return this.log.list(query);
  }
}
