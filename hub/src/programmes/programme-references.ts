import { Injectable } from '@nestjs/common';

/** Answers which zones use a programme (e.g. zones whose published schedule names it). */
export type ProgrammeReferenceLookup = (programmeId: string) => Promise<string[]>;

/**
 * Features that refer to programmes register a lookup here (from their `onModuleInit`), so deleting a programme can
 * be refused while something still uses it, without the programmes feature depending on theirs.
 */
@Injectable()
export class ProgrammeReferences {
  private readonly lookups: ProgrammeReferenceLookup[] = [];

  register(lookup: ProgrammeReferenceLookup): void {
    this.lookups.push(lookup);
  }

  /** Every zone any registered lookup names for the programme, sorted, without duplicates. */
  async zonesUsing(programmeId: string): Promise<string[]> {
    const found = await Promise.all(this.lookups.map((lookup) => lookup(programmeId)));
    return [...new Set(found.flat())].sort();
  }
}
