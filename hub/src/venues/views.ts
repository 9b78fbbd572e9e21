import type { OpeningInterval, Venue, VenueGroup, Zone } from '../tenancy/entities';

export interface VenueView {
  id: string;
  organisationId: string;
  venueGroupId: string | null;
  name: string;
  address: string | null;
  timeZone: string;
  openingHours: OpeningInterval[];
  /** Explicit tracks may play in the venue's zones. */
  allowExplicit: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ZoneView {
  id: string;
  venueId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface VenueGroupView {
  id: string;
  organisationId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export function venueView(v: Venue): VenueView {
  return {
    id: v.id,
    organisationId: v.organisationId,
    venueGroupId: v.venueGroupId,
    name: v.name,
    address: v.address,
    timeZone: v.timeZone,
    openingHours: v.openingHours ?? [],
    allowExplicit: v.allowExplicit,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

export function zoneView(z: Zone): ZoneView {
  return {
    id: z.id,
    venueId: z.venueId,
    name: z.name,
    createdAt: z.createdAt.toISOString(),
    updatedAt: z.updatedAt.toISOString(),
  };
}

export function groupView(g: VenueGroup): VenueGroupView {
  return {
    id: g.id,
    organisationId: g.organisationId,
    name: g.name,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}
