/**
 * The roles an invited guest can have in a session: one list for the server's form, emails and pages
 * and for the room page's bundle (which shows them on tiles). Their words are `guests:roles.*` in
 * each language (emails too), so nothing here is English.
 */
export const GUEST_ROLES = ['interpreter', 'family', 'support', 'supervisor'] as const;
export type GuestRoleName = (typeof GUEST_ROLES)[number];
