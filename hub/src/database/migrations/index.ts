import { CoreTenancy1795485700000 } from './1795485700000-CoreTenancy';
import { AuthAndAudit1795486200000 } from './1795486200000-AuthAndAudit';
import { Catalog1795486366113 } from './1795486366113-Catalog';
import { Appliances1795486925664 } from './1795486925664-Appliances';
import { CatalogSearchIndexes1795490000000 } from './1795490000000-CatalogSearchIndexes';
import { Licences1795493129784 } from './1795493129784-Licences';
import { PlanInvalidations1795500000000 } from './1795500000000-PlanInvalidations';
import { TrackRenditionFacts1795500050000 } from './1795500050000-TrackRenditionFacts';
import { Programmes1795500100000 } from './1795500100000-Programmes';
import { ZoneSchedulesAndPlans1795500200000 } from './1795500200000-ZoneSchedulesAndPlans';
import { ApplianceStatus1795500300000 } from './1795500300000-ApplianceStatus';
import { Plays1795500400000 } from './1795500400000-Plays';

import { RepairTrackSearchTriggers1795500500000 } from './1795500500000-RepairTrackSearchTriggers';
import { SharedPlanBodies1795500600000 } from './1795500600000-SharedPlanBodies';
/**
 * Every migration, oldest first. Each feature appends its own classes here (one line per class, timestamped file
 * names, never edit a migration that has been committed: add a new one). Read ../README.md for column conventions.
 */
export const migrations = [
  CoreTenancy1795485700000,
  // Append new migrations below this line.
  AuthAndAudit1795486200000,
  Catalog1795486366113,
  Appliances1795486925664,
  CatalogSearchIndexes1795490000000,
  Licences1795493129784,
  PlanInvalidations1795500000000,
  TrackRenditionFacts1795500050000,
  Programmes1795500100000,
  ZoneSchedulesAndPlans1795500200000,
  ApplianceStatus1795500300000,
  Plays1795500400000,
  RepairTrackSearchTriggers1795500500000,
  SharedPlanBodies1795500600000,
];
