import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { IngestJob, UNFINISHED_INGEST_STATES } from '../entities/ingest-job.entity';
import { Track } from '../entities/track.entity';

/** Queries over tracks and their ingest jobs. */
@Injectable()
export class TracksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get tracks() {
    return this.dataSource.getRepository(Track);
  }

  private get jobs() {
    return this.dataSource.getRepository(IngestJob);
  }

  findById(id: string): Promise<Track | null> {
    return this.tracks.findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<Track[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.tracks.findBy({ id: In([...ids]) });
  }

  findByContent(ownerOrganisationId: string, contentSha256: string): Promise<Track | null> {
    return this.tracks.findOneBy({ ownerOrganisationId, contentSha256 });
  }

  /** Owner and status of a track, for access checks, or null when there is no such track. */
  async ownerAndStatus(id: string): Promise<Pick<Track, 'ownerOrganisationId' | 'status'> | null> {
    return this.tracks.findOne({ where: { id }, select: { ownerOrganisationId: true, status: true } });
  }

  /** Stores a new track and its first ingest job in one transaction, plus whatever `also` writes in it. */
  async createWithJob(track: Track, job: IngestJob, also?: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager: EntityManager) => {
      await manager.insert(Track, track);
      await manager.insert(IngestJob, job);
      if (also) await also(manager);
    });
  }

  async updateTrack(id: string, changes: Partial<Track>, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).getRepository(Track).update({ id }, changes);
  }

  /** Runs `work` in one transaction (a change and its audit entry commit together). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async updateJob(id: string, changes: Partial<IngestJob>): Promise<void> {
    await this.jobs.update({ id }, changes);
  }

  findJob(id: string): Promise<IngestJob | null> {
    return this.jobs.findOneBy({ id });
  }

  /** The newest ingest job of a track. */
  latestJobOf(trackId: string): Promise<IngestJob | null> {
    return this.jobs.findOne({ where: { trackId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Ready tracks whose rendition facts are not recorded yet (made before they were), by id after `afterId`. */
  readyWithoutFacts(afterId: string, limit: number): Promise<Track[]> {
    return this.tracks
      .createQueryBuilder('t')
      .where('t.status = :ready', { ready: 'ready' })
      .andWhere('(t.delivery_sha256 IS NULL OR t.delivery_size_bytes IS NULL OR t.preview_size_bytes IS NULL)')
      .andWhere('t.id > :afterId', { afterId })
      .orderBy('t.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Jobs a hub has to (re)start: queued or interrupted while running, oldest first. */
  unfinishedJobs(): Promise<IngestJob[]> {
    return this.jobs.find({
      where: { state: In([...UNFINISHED_INGEST_STATES]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** True when any of `organisationIds` is a business (venue owner): such members see the ready catalogue. */
  async anyBusiness(organisationIds: readonly string[]): Promise<boolean> {
    if (organisationIds.length === 0) return false;
    const rows: unknown[] = await this.dataSource
      .createQueryBuilder()
      .select('o.id')
      .from('organisations', 'o')
      .where('o.id IN (:...ids)', { ids: [...organisationIds] })
      .andWhere('o.kind = :kind', { kind: 'business' })
      .limit(1)
      .getRawMany();
    return rows.length > 0;
  }

  /** The kind of an organisation, or null when it does not exist. */
  async organisationKind(id: string): Promise<string | null> {
    const row: { kind: string } | undefined = await this.dataSource
      .createQueryBuilder()
      .select('o.kind', 'kind')
      .from('organisations', 'o')
      .where('o.id = :id', { id })
      .getRawOne();
    return row?.kind ?? null;
  }
}
