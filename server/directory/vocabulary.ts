/** The directory's controlled lists: profiles pick from these, so search and matching line up. */
export const SPECIALTIES = [
  'anxiety',
  'depression',
  'trauma',
  'relationships',
  'grief',
  'stress',
  'self-esteem',
  'life transitions',
  'family',
  'parenting',
  'addiction',
  'eating',
  'sleep',
  'identity',
  'work',
] as const;

export const APPROACHES = [
  'CBT',
  'DBT',
  'ACT',
  'psychodynamic',
  'person-centred',
  'EMDR',
  'couples',
  'family systems',
  'mindfulness-based',
  'solution-focused',
  'narrative',
] as const;

export const FORMATS = ['video', 'audio', 'chat', 'group'] as const;

export const TIMES = ['mornings', 'afternoons', 'evenings', 'weekends'] as const;

export type Specialty = (typeof SPECIALTIES)[number];
export type Approach = (typeof APPROACHES)[number];
export type Format = (typeof FORMATS)[number];
export type TimeOfWeek = (typeof TIMES)[number];
