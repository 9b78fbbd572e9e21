import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import type { Principal } from '../auth/access/principal';
import { PasswordHasher } from '../auth/password/password-hasher';
import { SessionService } from '../auth/sessions/session.service';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { User, Venue } from '../tenancy/entities';
import { normaliseEmail } from '../tenancy';
import type { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { InstallerVenueGrant } from './venue-grant.entity';
import { LoginLockout } from '../auth/lockout/login-lockout.entity';

/** A user as the API shows them: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  isOperator: boolean;
  disabled: boolean;
  /** Set while sign-in is locked after repeated failures (operators can lift it with POST /users/:id/unlock). */
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

function view(u: User, lockedUntil: Date | null): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    isOperator: u.isOperator,
    disabled: u.disabled,
    lockedUntil: lockedUntil?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

/** User management (operators) and each user's own profile and password. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  private get users() {
    return this.dataSource.getRepository(User);
  }

  async list(): Promise<UserView[]> {
    const [users, locks] = await Promise.all([this.users.find({ order: { email: 'ASC' } }), this.activeLocks()]);
    return users.map((u) => view(u, locks.get(u.id) ?? null));
  }

  async get(id: string): Promise<UserView> {
    const [user, locks] = await Promise.all([this.existing(id), this.activeLocks(id)]);
    return view(user, locks.get(id) ?? null);
  }

  /** Locks still in force now, by user id. */
  private async activeLocks(userId?: string): Promise<Map<string, Date>> {
    const rows = await this.dataSource.getRepository(LoginLockout).find({ where: userId ? { userId } : {} });
    const now = this.clock.now().getTime();
    return new Map(
      rows
        .filter((r) => r.lockedUntil !== null && r.lockedUntil.getTime() > now)
        .map((r) => [r.userId, r.lockedUntil as Date]),
    );
  }

  async create(principal: Principal, dto: CreateUserDto): Promise<UserView> {
    const email = normaliseEmail(dto.email);
    if (await this.users.existsBy({ email })) {
      throw new AppError(ErrorCode.Conflict, `a user with e-mail ${email} already exists`);
    }
    const now = this.clock.now();
    const user = Object.assign(new User(), {
      id: this.ids.next(),
      email,
      displayName: dto.displayName,
      passwordHash: await this.hasher.hash(dto.password),
      isOperator: dto.isOperator ?? false,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(User).insert(user);
      await this.audit.record(
        principal,
        {
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          after: { email, displayName: user.displayName, isOperator: user.isOperator },
        },
        m,
      );
    });
    return view(user, null);
  }

  async update(principal: Principal, id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.existing(id);
    if (id === principal.userId && (dto.disabled === true || dto.isOperator === false)) {
      throw new AppError(
        ErrorCode.Unprocessable,
        'you cannot disable yourself or drop your own operator role; ask another operator',
      );
    }
    const locks = await this.activeLocks(id);
    const before = view(user, locks.get(id) ?? null);
    if (dto.displayName !== undefined) user.displayName = dto.displayName;
    if (dto.isOperator !== undefined) user.isOperator = dto.isOperator;
    if (dto.disabled !== undefined) user.disabled = dto.disabled;
    user.updatedAt = this.clock.now();
    const after = view(user, locks.get(id) ?? null);
    const { createdAt: _a, updatedAt: _b, ...b } = before;
    const { createdAt: _c, updatedAt: _d, ...a } = after;
    const changes = diff(b, a);
    if (Object.keys(changes.after).length === 0) return before;
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(User).update(
        { id },
        {
          displayName: user.displayName,
          isOperator: user.isOperator,
          disabled: user.disabled,
          updatedAt: user.updatedAt,
        },
      );
      await this.audit.record(principal, { action: 'user.update', entityType: 'user', entityId: id, ...changes }, m);
    });
    if (user.disabled) await this.sessions.revokeAllOf(id);
    return after;
  }

  async updateProfile(principal: Principal, displayName: string): Promise<UserView> {
    return this.update(principal, principal.userId, { displayName });
  }

  /** Changes the caller's password after checking the current one; every session of theirs ends. */
  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    const user = await this.existing(principal.userId);
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      throw new AppError(ErrorCode.InvalidCredentials, 'currentPassword is wrong; your password was not changed');
    }
    const passwordHash = await this.hasher.hash(next);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(User).update({ id: user.id }, { passwordHash, updatedAt: this.clock.now() });
      await this.audit.record(principal, { action: 'user.password_change', entityType: 'user', entityId: user.id }, m);
    });
    await this.sessions.revokeAllOf(user.id);
  }

  /** Lifts a sign-in lockout at once (the person proved who they are some other way) and clears the failure count. */
  async unlock(principal: Principal, id: string): Promise<UserView> {
    const user = await this.existing(id);
    await this.dataSource.transaction(async (m) => {
      const lockouts = m.getRepository(LoginLockout);
      const lockout = await lockouts.findOneBy({ userId: id });
      await lockouts.delete({ userId: id });
      await this.audit.record(
        principal,
        {
          action: 'user.unlock',
          entityType: 'user',
          entityId: id,
          before: {
            failedLoginCount: lockout?.failedCount ?? 0,
            lockedUntil: lockout?.lockedUntil?.toISOString() ?? null,
          },
          after: { failedLoginCount: 0, lockedUntil: null },
        },
        m,
      );
    });
    return view(user, null);
  }

  async venueGrants(id: string): Promise<{ venueId: string; createdAt: string }[]> {
    await this.existing(id);
    const grants = await this.dataSource
      .getRepository(InstallerVenueGrant)
      .find({ where: { userId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
    return grants.map((g) => ({ venueId: g.venueId, createdAt: g.createdAt.toISOString() }));
  }

  /** Authorises an installer for one venue outside their organisations. */
  async grantVenue(principal: Principal, id: string, venueId: string): Promise<{ venueId: string; createdAt: string }> {
    await this.existing(id);
    const venue = await this.dataSource.getRepository(Venue).findOneBy({ id: venueId });
    if (venue === null) throw AppError.notFound(`venue ${venueId}`);
    const repo = this.dataSource.getRepository(InstallerVenueGrant);
    if (await repo.existsBy({ userId: id, venueId })) {
      throw new AppError(ErrorCode.Conflict, 'this installer is already authorised for this venue');
    }
    const grant = Object.assign(new InstallerVenueGrant(), {
      id: this.ids.next(),
      userId: id,
      venueId,
      createdAt: this.clock.now(),
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(InstallerVenueGrant).insert(grant);
      await this.audit.record(
        principal,
        {
          action: 'venue_grant.create',
          entityType: 'user',
          entityId: id,
          organisationId: venue.organisationId,
          after: { venueId },
        },
        m,
      );
    });
    return { venueId, createdAt: grant.createdAt.toISOString() };
  }

  async revokeVenue(principal: Principal, id: string, venueId: string): Promise<void> {
    const repo = this.dataSource.getRepository(InstallerVenueGrant);
    const grant = await repo.findOneBy({ userId: id, venueId });
    if (grant === null) throw AppError.notFound(`venue grant of user ${id} for venue ${venueId}`);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(InstallerVenueGrant).delete({ id: grant.id });
      await this.audit.record(
        principal,
        { action: 'venue_grant.delete', entityType: 'user', entityId: id, before: { venueId } },
        m,
      );
    });
  }

  private async existing(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (user === null) throw AppError.notFound(`user ${id}`);
    return user;
  }
}
