import { Injectable } from '@nestjs/common';
import type { Organisation, User, Venue, Zone } from '../tenancy/entities';
import type { Role } from '../tenancy/roles';

/** What the core demo seed created, handed to each feature's demo step. */
export interface DemoContext {
  users: Record<Role, User>;
  label: Organisation;
  business: Organisation;
  venue: Venue;
  zones: Zone[];
}

/** A feature's contribution to the demo data (e.g. the catalogue ingests a handful of generated tracks). */
export interface DemoSeedStep {
  /** Shown in logs. */
  name: string;
  run(context: DemoContext): Promise<void>;
}

/**
 * Features register their demo steps here from `onModuleInit`; the seeder runs them in registration order after the
 * core demo rows exist, only when it is seeding an empty database.
 */
@Injectable()
export class DemoSeedRegistry {
  private readonly steps: DemoSeedStep[] = [];

  register(step: DemoSeedStep): void {
    this.steps.push(step);
  }

  all(): readonly DemoSeedStep[] {
    return this.steps;
  }
}
