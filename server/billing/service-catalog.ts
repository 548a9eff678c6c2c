import type { ServiceRole } from './billing.types';

/**
 * The services a new clinic starts with. CPT® codes are the American Medical Association's, and
 * their official descriptors are licensed by the AMA: Haven ships only the code numbers, with short
 * plain descriptions written for Haven (not the AMA's text). Clinics may edit descriptions and fees.
 * Fees start at 0: each clinic sets its own prices.
 */
export interface CatalogEntry {
  readonly code: string;
  readonly kind: 'cpt' | 'clinic';
  readonly description: string;
  readonly durationMinutes: number | null;
  readonly role: ServiceRole;
}

export const STARTING_SERVICES: readonly CatalogEntry[] = [
  {
    code: '90791',
    kind: 'cpt',
    description: 'First assessment (intake) session',
    durationMinutes: 60,
    role: 'session',
  },
  {
    code: '90832',
    kind: 'cpt',
    description: 'Individual therapy, about half an hour',
    durationMinutes: 30,
    role: 'session',
  },
  {
    code: '90834',
    kind: 'cpt',
    description: 'Individual therapy, about 45 minutes',
    durationMinutes: 45,
    role: 'session',
  },
  {
    code: '90837',
    kind: 'cpt',
    description: 'Individual therapy, about an hour',
    durationMinutes: 60,
    role: 'session',
  },
  {
    code: '90846',
    kind: 'cpt',
    description: 'Family or couples therapy, client not present',
    durationMinutes: 50,
    role: 'session',
  },
  {
    code: '90847',
    kind: 'cpt',
    description: 'Family or couples therapy, client present',
    durationMinutes: 50,
    role: 'session',
  },
  { code: '90853', kind: 'cpt', description: 'Group therapy', durationMinutes: 90, role: 'session' },
  {
    code: '90839',
    kind: 'cpt',
    description: 'Crisis session, first hour',
    durationMinutes: 60,
    role: 'session',
  },
  {
    code: '90840',
    kind: 'cpt',
    description: 'Crisis session, each further half hour',
    durationMinutes: 30,
    role: 'session',
  },
  {
    code: 'LATE-CANCEL',
    kind: 'clinic',
    description: 'Late cancellation fee',
    durationMinutes: null,
    role: 'late_cancel',
  },
  {
    code: 'NO-SHOW',
    kind: 'clinic',
    description: 'Missed session fee',
    durationMinutes: null,
    role: 'no_show',
  },
  {
    code: 'PEER-GROUP',
    kind: 'clinic',
    description: 'Peer-support group (free)',
    durationMinutes: 90,
    role: 'session',
  },
];

/**
 * The psychotherapy code a session of this length and kind defaults to when its appointment type
 * has no service of its own: the time ranges the code set uses for individual therapy (16–37
 * minutes: 90832; 38–52: 90834; 53 and more: 90837), 90847 for couples and family, 90853 for groups.
 */
export function defaultCodeFor(kind: 'individual' | 'couples' | 'group', minutes: number): string {
  if (kind === 'couples') return '90847';
  if (kind === 'group') return '90853';
  if (minutes >= 53) return '90837';
  if (minutes >= 38) return '90834';
  return '90832';
}
