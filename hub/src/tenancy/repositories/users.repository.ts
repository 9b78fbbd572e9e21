import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { IdGenerator } from '../../common/ids/id-generator';
import { User } from '../entities/user.entity';

/** E-mail addresses compare case-insensitively; they are stored in this form. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string;
  isOperator?: boolean;
}

/** Queries on users. Never returns password hashes to callers that did not ask for a user by e-mail for login. */
@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(User) private readonly repo: Repository<User>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Pass `manager` to create the user inside a caller's transaction. */
  async create(input: NewUser, manager?: EntityManager): Promise<User> {
    const now = this.clock.now();
    const repo = manager ? manager.getRepository(User) : this.repo;
    return repo.save(
      repo.create({
        id: this.ids.next(),
        email: normaliseEmail(input.email),
        displayName: input.displayName,
        passwordHash: input.passwordHash,
        isOperator: input.isOperator ?? false,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }

  findById(id: string): Promise<User | null> {
    return this.repo.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.repo.findOneBy({ email: normaliseEmail(email) });
  }

  list(): Promise<User[]> {
    return this.repo.find({ order: { email: 'ASC' } });
  }

  async update(
    id: string,
    changes: Partial<Pick<User, 'displayName' | 'passwordHash' | 'isOperator' | 'disabled'>>,
  ): Promise<void> {
    await this.repo.update({ id }, { ...changes, updatedAt: this.clock.now() });
  }

  count(): Promise<number> {
    return this.repo.count();
  }
}
