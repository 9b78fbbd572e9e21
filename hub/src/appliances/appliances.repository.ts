import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Appliance } from './entities/appliance.entity';

/** Queries on appliances; pass `manager` to run inside a caller's transaction. */
@Injectable()
export class AppliancesRepository {
  constructor(@InjectRepository(Appliance) private readonly repo: Repository<Appliance>) {}

  private of(manager?: EntityManager): Repository<Appliance> {
    return manager ? manager.getRepository(Appliance) : this.repo;
  }

  findById(id: string, manager?: EntityManager): Promise<Appliance | null> {
    return this.of(manager).findOneBy({ id });
  }

  /** The appliance currently serving `zoneId`, if any. */
  findActiveInZone(zoneId: string, manager?: EntityManager): Promise<Appliance | null> {
    return this.of(manager).findOneBy({ zoneId, status: 'active' });
  }

  /** True when some appliance (in any state) already has this signing key: a key set enrols one device once. */
  async signingKeyTaken(signingKey: string, manager?: EntityManager): Promise<boolean> {
    return (await this.of(manager).countBy({ signingKey })) > 0;
  }

  insert(rows: Appliance[], manager?: EntityManager): Promise<unknown> {
    return this.of(manager).insert(rows);
  }

  /** Applies `changes` only while the row still matches `where` (optimistic check); returns rows changed. */
  async updateWhere(
    where: Partial<Pick<Appliance, 'id' | 'status' | 'signingKey'>>,
    changes: QueryDeepPartialEntity<Appliance>,
    manager?: EntityManager,
  ): Promise<number> {
    const result = await this.of(manager).update(where, changes);
    return result.affected ?? 0;
  }
}
