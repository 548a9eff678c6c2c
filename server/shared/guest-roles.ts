/**
 * The roles an invited guest can have in a session and how people read them: one list for the
 * server's form, emails and pages and for the room page's bundle (which shows them on tiles).
 */
export const GUEST_ROLES = ['interpreter', 'family', 'support', 'supervisor'] as const;
export type GuestRoleName = (typeof GUEST_ROLES)[number];

export const GUEST_ROLE_WORDS: Readonly<Record<GuestRoleName, string>> = {
  interpreter: 'interpreter',
  family: 'family member',
  support: 'support person',
  supervisor: 'clinical supervisor',
};

/** "interpreter (Spanish)", "family member". */
export function guestRoleText(role: GuestRoleName, language: string | null): string {
  return language ? `${GUEST_ROLE_WORDS[role]} (${language})` : GUEST_ROLE_WORDS[role];
}
