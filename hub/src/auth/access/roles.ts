/** The four kinds of people who sign in to the hub (see DOMAIN.md, "Who uses it"). */
export const ROLES = ['operator', 'rights_owner', 'venue_manager', 'installer'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** True when `value` names a role; used to validate input and rows read back from the database. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
