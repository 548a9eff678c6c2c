import type { Role } from '../accounts';
import type { Group } from './groups.types';

/**
 * Who may do what with peer-support groups, as pure functions.
 * - Admins and peer supporters create groups; facilitators are peer supporters or therapists.
 * - An admin or one of the group's facilitators manages it (approve, remove, block, guidelines).
 * - Clients join, under a pseudonym. Other members only ever see pseudonyms.
 * - Real names: admins; facilitators only when the clinic allows it; members never.
 * - Nothing here opens anything clinical: groups know no notes, scores or records.
 */
interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}
const has = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

export function canCreateGroup(actor: Actor): boolean {
  return has(actor, 'admin') || has(actor, 'peer_supporter');
}

export function canFacilitate(person: { roles: readonly Role[] }): boolean {
  return has(person as Actor, 'peer_supporter') || has(person as Actor, 'therapist');
}

export function isFacilitator(actor: Actor, group: Pick<Group, 'facilitatorIds'>): boolean {
  return group.facilitatorIds.includes(actor.id);
}

export function canManageGroup(actor: Actor, group: Pick<Group, 'facilitatorIds'>): boolean {
  return has(actor, 'admin') || isFacilitator(actor, group);
}

export function canJoin(actor: Actor, group: Pick<Group, 'facilitatorIds'>): boolean {
  return has(actor, 'client') && !isFacilitator(actor, group);
}

export function canSeeRealNames(
  actor: Actor,
  group: Pick<Group, 'facilitatorIds'>,
  facilitatorsSeeNames: boolean,
): boolean {
  return has(actor, 'admin') || (isFacilitator(actor, group) && facilitatorsSeeNames);
}
