import type { Role } from './roles';

/** Who may do what with accounts. Pure functions: HTTP routes and socket handlers call the same ones. */
export interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

export function hasRole(actor: Actor | null | undefined, ...roles: Role[]): boolean {
  return !!actor && actor.roles.some((r) => roles.includes(r));
}

/** Admins invite staff (and clients); therapists invite their clients. Nobody invites an admin by link. */
export function canInvite(actor: Actor, role: Role): boolean {
  if (role === 'admin') return false;
  if (hasRole(actor, 'admin')) return true;
  return role === 'client' && hasRole(actor, 'therapist');
}

/** The roles this actor may offer in an invitation, for the form. */
export function invitableRoles(actor: Actor): Role[] {
  return (['therapist', 'peer_supporter', 'client'] as const).filter((r) => canInvite(actor, r));
}

export function canSeeInvitations(actor: Actor): boolean {
  return hasRole(actor, 'admin', 'therapist');
}

/** An admin may revoke any invitation; others only the ones they sent. */
export function canRevokeInvitation(actor: Actor, invitation: { invitedBy: string }): boolean {
  return hasRole(actor, 'admin') || invitation.invitedBy === actor.id;
}

export function canManageClinicSettings(actor: Actor): boolean {
  return hasRole(actor, 'admin');
}

/** Changing someone's roles is an admin's act, and an admin cannot remove their own admin role. */
export function canChangeRoles(actor: Actor, targetId: string, nextRoles: readonly Role[]): boolean {
  if (!hasRole(actor, 'admin')) return false;
  return !(targetId === actor.id && !nextRoles.includes('admin'));
}

/** Only clients and peer supporters may switch two-factor off; it is mandatory for admins and therapists. */
export function canDisableTwoFactor(actor: Actor): boolean {
  return !hasRole(actor, 'admin', 'therapist');
}
