import type { OpeningInterval } from '../tenancy/entities';
import type { Role } from '../tenancy/roles';

/** The demo accounts, one per role. `.test` is reserved (RFC 2606): these addresses can never reach anyone. */
export const DEMO_USERS: Record<Role, { email: string; displayName: string }> = {
  operator: { email: 'operator@demo.roomtone.test', displayName: 'Demo Operator' },
  rights_owner: { email: 'label@demo.roomtone.test', displayName: 'Demo Rights Owner' },
  venue_manager: { email: 'manager@demo.roomtone.test', displayName: 'Demo Venue Manager' },
  installer: { email: 'installer@demo.roomtone.test', displayName: 'Demo Installer' },
};

export const DEMO_LABEL = 'Demo Records';
export const DEMO_BUSINESS = 'Demo Coffee Co.';
export const DEMO_VENUE_GROUP = 'London';
export const DEMO_VENUE = {
  name: 'Demo Coffee Shoreditch',
  address: '1 Example Street, London E2 7DJ, United Kingdom',
  timeZone: 'Europe/London',
};
export const DEMO_ZONES = ['Front of house', 'Terrace'];

/** Monday to Saturday 07:00-19:00, Sunday 09:00-17:00, venue local time. */
export const DEMO_OPENING_HOURS: OpeningInterval[] = [
  ...[1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '07:00', closes: '19:00' })),
  { weekday: 7, opens: '09:00', closes: '17:00' },
];
