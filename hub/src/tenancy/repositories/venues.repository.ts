import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { IdGenerator } from '../../common/ids/id-generator';
import { VenueGroup } from '../entities/venue-group.entity';
import { Venue, type OpeningInterval } from '../entities/venue.entity';

export interface NewVenue {
  organisationId: string;
  venueGroupId?: string | null;
  name: string;
  address?: string | null;
  timeZone: string;
  openingHours?: OpeningInterval[] | null;
}

/** Queries on venues and venue groups. Tenant scoping is the caller's rule; these take organisation ids as given. */
@Injectable()
export class VenuesRepository {
  constructor(
    @InjectRepository(Venue) private readonly venues: Repository<Venue>,
    @InjectRepository(VenueGroup) private readonly groups: Repository<VenueGroup>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Pass `manager` to create inside a caller's transaction. */
  async create(input: NewVenue, manager?: EntityManager): Promise<Venue> {
    const now = this.clock.now();
    const repo = manager ? manager.getRepository(Venue) : this.venues;
    return repo.save(
      repo.create({
        id: this.ids.next(),
        organisationId: input.organisationId,
        venueGroupId: input.venueGroupId ?? null,
        name: input.name,
        address: input.address ?? null,
        timeZone: input.timeZone,
        openingHours: input.openingHours ?? null,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }

  findById(id: string): Promise<Venue | null> {
    return this.venues.findOneBy({ id });
  }

  listForOrganisations(organisationIds: string[]): Promise<Venue[]> {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.venues.find({ where: { organisationId: In(organisationIds) }, order: { name: 'ASC' } });
  }

  listAll(): Promise<Venue[]> {
    return this.venues.find({ order: { name: 'ASC' } });
  }

  async update(
    id: string,
    changes: Partial<Pick<Venue, 'name' | 'address' | 'timeZone' | 'openingHours' | 'venueGroupId'>>,
  ): Promise<void> {
    await this.venues.update({ id }, { ...changes, updatedAt: this.clock.now() });
  }

  async delete(id: string): Promise<void> {
    await this.venues.delete({ id });
  }

  async createGroup(organisationId: string, name: string, manager?: EntityManager): Promise<VenueGroup> {
    const now = this.clock.now();
    const repo = manager ? manager.getRepository(VenueGroup) : this.groups;
    return repo.save(repo.create({ id: this.ids.next(), organisationId, name, createdAt: now, updatedAt: now }));
  }

  findGroupById(id: string): Promise<VenueGroup | null> {
    return this.groups.findOneBy({ id });
  }

  listGroupsForOrganisations(organisationIds: string[]): Promise<VenueGroup[]> {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.groups.find({ where: { organisationId: In(organisationIds) }, order: { name: 'ASC' } });
  }

  async deleteGroup(id: string): Promise<void> {
    await this.groups.delete({ id });
  }
}
