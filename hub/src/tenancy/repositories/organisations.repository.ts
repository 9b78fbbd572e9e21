import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { IdGenerator } from '../../common/ids/id-generator';
import { Organisation } from '../entities/organisation.entity';
import type { OrganisationKind } from '../roles';

/** Queries on organisations. */
@Injectable()
export class OrganisationsRepository {
  constructor(
    @InjectRepository(Organisation) private readonly repo: Repository<Organisation>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Pass `manager` to create inside a caller's transaction. */
  async create(input: { kind: OrganisationKind; name: string }, manager?: EntityManager): Promise<Organisation> {
    const now = this.clock.now();
    const repo = manager ? manager.getRepository(Organisation) : this.repo;
    return repo.save(repo.create({ id: this.ids.next(), ...input, createdAt: now, updatedAt: now }));
  }

  findById(id: string): Promise<Organisation | null> {
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<Organisation[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.find({ where: { id: In(ids) }, order: { name: 'ASC' } });
  }

  list(kind?: OrganisationKind): Promise<Organisation[]> {
    return this.repo.find({ where: kind ? { kind } : {}, order: { name: 'ASC' } });
  }

  async update(id: string, changes: Partial<Pick<Organisation, 'name'>>): Promise<void> {
    await this.repo.update({ id }, { ...changes, updatedAt: this.clock.now() });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  count(): Promise<number> {
    return this.repo.count();
  }
}
