import type { DataRightsActor } from './data-rights.types';

/**
 * Who may do what with data rights. In words:
 * - A client downloads their own record and asks for their own erasure; nobody downloads anyone
 *   else's record through this feature (staff read records through clinical, audited there).
 * - Only an admin sees the erasure queue and decides; an admin never decides their own request.
 */
const has = (actor: DataRightsActor, role: string) => actor.roles.includes(role);

export const canExportOwnRecord = (actor: DataRightsActor): boolean => has(actor, 'client');

export const canRequestErasure = (actor: DataRightsActor): boolean => has(actor, 'client');

export const canDecideErasure = (actor: DataRightsActor, clientId: string): boolean =>
  has(actor, 'admin') && actor.id !== clientId;
