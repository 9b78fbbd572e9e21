import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { IdGenerator } from '../../common/ids/id-generator';
import { Zone } from '../entities/zone.entity';

/** Queries on zones. */
@Injectable()
export class ZonesRepository {
  constructor(
    @InjectRepository(Zone) private readonly repo: Repository<Zone>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Pass `manager` to create inside a caller's transaction. */
  async create(venueId: string, name: string, manager?: EntityManager): Promise<Zone> {
    const now = this.clock.now();
    const repo = manager ? manager.getRepository(Zone) : this.repo;
    return repo.save(repo.create({ id: this.ids.next(), venueId, name, createdAt: now, updatedAt: now }));
  }

  findById(id: string): Promise<Zone | null> {
    return this.repo.findOneBy({ id });
  }

  /** The zone with its venue, for checks that need the venue's organisation or time zone. */
  findWithVenue(id: string): Promise<Zone | null> {
    return this.repo.findOne({ where: { id }, relations: { venue: true } });
  }

  listForVenue(venueId: string): Promise<Zone[]> {
    return this.repo.find({ where: { venueId }, order: { name: 'ASC' } });
  }

  listForVenues(venueIds: string[]): Promise<Zone[]> {
    if (venueIds.length === 0) return Promise.resolve([]);
    return this.repo.find({ where: { venueId: In(venueIds) }, order: { name: 'ASC' } });
  }

  async rename(id: string, name: string): Promise<void> {
    await this.repo.update({ id }, { name, updatedAt: this.clock.now() });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
