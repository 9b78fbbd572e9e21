import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { IdGenerator } from '../../common/ids/id-generator';
import { Membership } from '../entities/membership.entity';
import type { MembershipRole } from '../roles';

/** Queries on memberships: who holds which role in which organisation. */
@Injectable()
export class MembershipsRepository {
  constructor(
    @InjectRepository(Membership) private readonly repo: Repository<Membership>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Pass `manager` to add inside a caller's transaction. */
  async add(
    userId: string,
    organisationId: string,
    role: MembershipRole,
    manager?: EntityManager,
  ): Promise<Membership> {
    const repo = manager ? manager.getRepository(Membership) : this.repo;
    return repo.save(repo.create({ id: this.ids.next(), userId, organisationId, role, createdAt: this.clock.now() }));
  }

  forUser(userId: string): Promise<Membership[]> {
    return this.repo.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  forOrganisation(organisationId: string): Promise<Membership[]> {
    return this.repo.find({ where: { organisationId }, order: { createdAt: 'ASC' } });
  }

  async remove(userId: string, organisationId: string, role: MembershipRole): Promise<void> {
    await this.repo.delete({ userId, organisationId, role });
  }
}
