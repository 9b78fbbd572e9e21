/** The people who use the hub (DOMAIN.md "Who uses it"). */
export const ROLES = ['operator', 'rights_owner', 'venue_manager', 'installer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles held within one organisation. Operators run the whole hub, so theirs is a flag on the user instead. */
export const MEMBERSHIP_ROLES = ['rights_owner', 'venue_manager', 'installer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** label: a rights owner's organisation (tracks); business: a venue owner's (venues, zones). */
export const ORGANISATION_KINDS = ['label', 'business'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
