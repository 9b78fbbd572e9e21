import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { Membership, Organisation, User } from '../tenancy/entities';
import type { MembershipRole, OrganisationKind } from '../tenancy/roles';
import { whereTenant } from '../venues/tenant-where';

export interface OrganisationView {
  id: string;
  kind: OrganisationKind;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface MembershipView {
  id: string;
  organisationId: string;
  role: MembershipRole;
  user: { id: string; email: string; displayName: string };
  createdAt: string;
}

function view(o: Organisation): OrganisationView {
  return {
    id: o.id,
    kind: o.kind,
    name: o.name,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

/** Which membership roles make sense in which kind of organisation. */
const ROLE_KINDS: Record<MembershipRole, OrganisationKind> = {
  rights_owner: 'label',
  venue_manager: 'business',
  installer: 'business',
};

/** Organisations (labels, businesses) and who belongs to them in which role. */
@Injectable()
export class OrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The organisation when the filter passes it, else null. */
  find(filter: TenantFilter, id: string): Promise<Organisation | null> {
    const qb = this.dataSource.getRepository(Organisation).createQueryBuilder('o').where('o.id = :id', { id });
    return whereTenant(qb, filter, 'o.id').getOne();
  }

  /** The organisations the caller belongs to (all of them for operators). */
  async list(filter: TenantFilter): Promise<OrganisationView[]> {
    const qb = this.dataSource.getRepository(Organisation).createQueryBuilder('o');
    const rows = await whereTenant(qb, filter, 'o.id').orderBy('o.name', 'ASC').addOrderBy('o.id', 'ASC').getMany();
    return rows.map(view);
  }

  async get(filter: TenantFilter, id: string): Promise<OrganisationView> {
    return view(await this.visible(filter, id));
  }

  async create(principal: Principal, kind: OrganisationKind, name: string): Promise<OrganisationView> {
    const now = this.clock.now();
    const organisation = Object.assign(new Organisation(), {
      id: this.ids.next(),
      kind,
      name,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Organisation).insert(organisation);
      await this.audit.record(
        principal,
        {
          action: 'organisation.create',
          entityType: 'organisation',
          entityId: organisation.id,
          organisationId: organisation.id,
          after: { kind, name },
        },
        m,
      );
    });
    return view(organisation);
  }

  async rename(principal: Principal, filter: TenantFilter, id: string, name: string): Promise<OrganisationView> {
    const organisation = await this.visible(filter, id);
    const before = organisation.name;
    organisation.name = name;
    organisation.updatedAt = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Organisation).update({ id }, { name, updatedAt: organisation.updatedAt });
      await this.audit.record(
        principal,
        {
          action: 'organisation.update',
          entityType: 'organisation',
          entityId: id,
          organisationId: id,
          before: { name: before },
          after: { name },
        },
        m,
      );
    });
    return view(organisation);
  }

  async memberships(filter: TenantFilter, id: string): Promise<MembershipView[]> {
    await this.visible(filter, id);
    const rows = await this.dataSource
      .getRepository(Membership)
      .find({ where: { organisationId: id }, relations: { user: true }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map((m) => ({
      id: m.id,
      organisationId: m.organisationId,
      role: m.role,
      user: { id: m.userId, email: m.user?.email ?? '', displayName: m.user?.displayName ?? '' },
      createdAt: m.createdAt.toISOString(),
    }));
  }

  async addMember(
    principal: Principal,
    filter: TenantFilter,
    id: string,
    userId: string,
    role: MembershipRole,
  ): Promise<MembershipView> {
    const organisation = await this.visible(filter, id);
    if (ROLE_KINDS[role] !== organisation.kind) {
      throw new AppError(
        ErrorCode.Unprocessable,
        `a ${organisation.kind} has no ${role}s; ${role} belongs in a ${ROLE_KINDS[role]}`,
      );
    }
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    if (user === null) throw AppError.notFound(`user ${userId}`);
    const repo = this.dataSource.getRepository(Membership);
    if (await repo.existsBy({ userId, organisationId: id, role })) {
      throw new AppError(ErrorCode.Conflict, `${user.email} is already ${role} of this organisation`);
    }
    const membership = Object.assign(new Membership(), {
      id: this.ids.next(),
      userId,
      organisationId: id,
      role,
      createdAt: this.clock.now(),
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Membership).insert(membership);
      await this.audit.record(
        principal,
        {
          action: 'membership.create',
          entityType: 'membership',
          entityId: membership.id,
          organisationId: id,
          after: { userId, email: user.email, role },
        },
        m,
      );
    });
    return {
      id: membership.id,
      organisationId: id,
      role,
      user: { id: user.id, email: user.email, displayName: user.displayName },
      createdAt: membership.createdAt.toISOString(),
    };
  }

  async removeMember(principal: Principal, filter: TenantFilter, id: string, membershipId: string): Promise<void> {
    await this.visible(filter, id);
    const membership = await this.dataSource
      .getRepository(Membership)
      .findOneBy({ id: membershipId, organisationId: id });
    if (membership === null) throw AppError.notFound(`membership ${membershipId}`);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Membership).delete({ id: membershipId });
      await this.audit.record(
        principal,
        {
          action: 'membership.delete',
          entityType: 'membership',
          entityId: membershipId,
          organisationId: id,
          before: { userId: membership.userId, role: membership.role },
        },
        m,
      );
    });
  }

  private async visible(filter: TenantFilter, id: string): Promise<Organisation> {
    const organisation = await this.find(filter, id);
    if (organisation === null) throw AppError.notFound(`organisation ${id}`);
    return organisation;
  }
}
