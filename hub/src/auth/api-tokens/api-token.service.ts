import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AppError } from '../../common/errors';
import { IdGenerator } from '../../common/ids/id-generator';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../../audit/audit.service';
import type { Principal } from '../access/principal';
import { API_TOKEN_MAX_DAYS } from '../auth.settings';
import { hashToken, issueToken, looksLikeToken } from '../tokens/secret-token';
import { ApiToken } from './api-token.entity';

/** What listings show of a token: never the secret, nor its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** A token just created: the only time its secret is ever returned. */
export interface CreatedApiToken extends ApiTokenView {
  token: string;
}

const DAY_MS = 24 * 60 * 60_000;
// last_used_at is a hint for owners ("is this token still used?"), so a write per request is not worth it.
const TOUCH_MS = 60_000;

function view(token: ApiToken): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    hint: token.hint,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

/** Personal API tokens: each user creates, lists and revokes their own. */
@Injectable()
export class ApiTokenService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ApiToken);
  }

  /** Creates a token for the caller, valid for `expiresInDays` (default and maximum {@link API_TOKEN_MAX_DAYS}). */
  async create(principal: Principal, name: string, expiresInDays = API_TOKEN_MAX_DAYS): Promise<CreatedApiToken> {
    const now = this.clock.now();
    const issued = issueToken('api');
    const token = this.repo.create({
      id: this.ids.next(),
      userId: principal.userId,
      name,
      tokenHash: issued.hash,
      hint: issued.hint,
      createdAt: now,
      expiresAt: new Date(now.getTime() + Math.min(expiresInDays, API_TOKEN_MAX_DAYS) * DAY_MS),
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.repo.insert(token);
    await this.audit.record(principal, {
      action: 'api_token.create',
      entityType: 'api_token',
      entityId: token.id,
      after: { name, hint: token.hint, expiresAt: token.expiresAt?.toISOString() },
    });
    return { ...view(token), token: issued.token };
  }

  /** The caller's live tokens, newest first. */
  async list(principal: Principal): Promise<ApiTokenView[]> {
    const tokens = await this.repo.find({
      where: { userId: principal.userId, revokedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    const now = this.clock.now().getTime();
    return tokens.filter((t) => t.expiresAt === null || t.expiresAt.getTime() > now).map(view);
  }

  /** Revokes one of the caller's tokens; another user's token id is "not found", like a missing one. */
  async revoke(principal: Principal, id: string): Promise<void> {
    const token = await this.repo.findOneBy({ id, userId: principal.userId, revokedAt: IsNull() });
    if (token === null) throw AppError.notFound(`API token ${id}`);
    await this.repo.update({ id }, { revokedAt: this.clock.now() });
    await this.audit.record(principal, {
      action: 'api_token.revoke',
      entityType: 'api_token',
      entityId: id,
      before: { name: token.name, hint: token.hint },
    });
  }

  /** The live token whose secret is `secret`, or null. */
  async resolve(secret: string): Promise<ApiToken | null> {
    if (!looksLikeToken('api', secret)) return null;
    const token = await this.repo.findOneBy({ tokenHash: hashToken(secret), revokedAt: IsNull() });
    const now = this.clock.now();
    if (token === null || (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime())) return null;
    if (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() >= TOUCH_MS) {
      await this.repo.update({ id: token.id }, { lastUsedAt: now });
    }
    return token;
  }
}
