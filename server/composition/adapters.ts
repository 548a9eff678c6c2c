/**
 * The adapters between features, each named once. A feature names the port it needs in its own
 * words (rooms' `CareLookup`, scheduling's `PeopleDirectory`…); these functions fit another
 * feature's service to it, so the composition root and the transports share one definition.
 */
import type { Role } from '../accounts';
import type { InvitedGuest, OpenSession } from '../http';
import type { RoomsFeature } from '../rooms';

/** The part of clinical's care assignments the adapters read. */
interface CareAssignments {
  isTreating(therapistId: string, clientId: string): Promise<boolean>;
  clientsOf(therapistId: string): Promise<readonly { readonly clientId: string }[]>;
}

/** Who treats whom, from clinical's care assignments (rooms and the scheduling pages ask). */
export interface CareRelations {
  isTreating(therapistId: string, clientId: string): Promise<boolean>;
  clientsOf(therapistId: string): Promise<string[]>;
}

export function careRelationsOf(care: CareAssignments): CareRelations {
  return {
    isTreating: (therapistId, clientId) => care.isTreating(therapistId, clientId),
    clientsOf: async (therapistId) => (await care.clientsOf(therapistId)).map((c) => c.clientId),
  };
}

/** A person's display name by id, or null (rooms, the rooms pages and open sessions use it). */
export type DisplayNameOf = (id: string) => Promise<string | null>;

export function displayNameOf(accounts: {
  byId(id: string): Promise<{ readonly displayName: string } | null>;
}): DisplayNameOf {
  return async (id) => (await accounts.byId(id))?.displayName ?? null;
}

/** Ad-hoc sessions open for a client now, with who opened them (for their appointments and home). */
export async function openSessionsOf(
  rooms: RoomsFeature,
  displayName: DisplayNameOf,
  client: { id: string; displayName: string; roles: readonly Role[] },
): Promise<OpenSession[]> {
  const open = await rooms.access.openAdhocSessionsFor(client);
  return Promise.all(
    open.map(async (r) => ({
      roomId: r.id,
      withName: (await displayName(r.hostId)) ?? 'Your therapist',
      openedAt: r.createdAt,
    })),
  );
}

/** The guests invited to an appointment's session (not removed), as its page lists them. */
export async function invitedGuestsOf(
  rooms: RoomsFeature,
  viewer: { readonly id: string; readonly displayName: string; readonly roles: readonly Role[] },
  appointmentId: string,
): Promise<InvitedGuest[]> {
  const { guests } = await rooms.guests.list(viewer, appointmentId);
  return guests
    .filter((g) => g.state !== 'removed')
    .map((g) => ({ displayName: g.displayName, role: g.role, language: g.language }));
}
