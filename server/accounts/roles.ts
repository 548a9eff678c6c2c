/** The four roles. One person may hold several (a small clinic's admin is often also a therapist). */
export const ROLES = ['admin', 'therapist', 'peer_supporter', 'client'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
