import type { RoomAccessService } from './room-access.service';
import type { RoomGuestsService } from './guests.service';
import type { GuestRoleName } from '../shared/guest-roles';
import type { Actor, PeopleLookup, SafetyCheckLookup, SeatRole } from './rooms.types';

/** A client's confirmed location and callback for this session, as the therapist's page shows it. */
export interface SafetyCheckView {
  /** Marks the page's entry, so a check confirmed later is pushed into it (`room:safety-check`). */
  readonly clientId: string;
  /** The client's display name; null when they have none (the page says "a client" in its language). */
  readonly name: string | null;
  readonly check: {
    readonly location: string;
    readonly callbackNumber: string;
    readonly createdAt: Date;
  } | null;
}

/**
 * One person on the other side of a session, for the page's header. The page writes the names as a
 * list in its language ("Sam and Alex", "Sam y Alex", "سام وأليكس") and words a person without a
 * display name by their part ("your therapist", "a client"): the service names no one in English.
 */
export interface OtherPerson {
  readonly name: string | null;
  readonly part: 'therapist' | 'client';
}

/** Everything the room page renders, from one call. */
export interface RoomPage {
  readonly roomId: string;
  readonly role: SeatRole;
  /** The people on the other side (empty in a group meeting, which the page names as such). */
  readonly withWhom: readonly OtherPerson[];
  readonly audioOnly: boolean;
  /** The therapist's view of each client's safety check for this session (others: empty). */
  readonly safetyChecks: readonly SafetyCheckView[];
  /** A group meeting: the person's public id and group name (the page never learns their user id). */
  readonly meeting: { readonly selfId: string; readonly groupId: string; readonly name: string } | null;
  /**
   * Guests the therapist invited to this appointment (not removed), so the client knows before the
   * session who may join and as what: "Ana Ruiz, interpreter (Spanish)" (the page words the role).
   */
  readonly invitedGuests: ReadonlyArray<{
    readonly displayName: string;
    readonly role: GuestRoleName;
    readonly language: string | null;
  }>;
  /** The appointment this room is for (its guests page is linked from the waiting room), if any. */
  readonly appointmentId: string | null;
  /** The person is an invited guest: their id for the page (no account). */
  readonly guestSelfId: string | null;
}

/**
 * The room page's view model. Entering goes through `RoomAccessService.entry`, so the page obeys
 * exactly the rules the socket does (window, participants, the safety check); reading the
 * clients' safety checks is clinical's audited read.
 */
export async function roomPage(
  deps: {
    readonly access: RoomAccessService;
    readonly guests: RoomGuestsService;
    readonly people: PeopleLookup;
    readonly safetyChecks: SafetyCheckLookup | null;
  },
  actor: Actor,
  roomId: string,
  ip: string | null,
): Promise<RoomPage> {
  const entry = await deps.access.entry(actor, roomId);
  if (entry.group) {
    return {
      roomId: entry.room.id,
      role: entry.role,
      withWhom: [],
      audioOnly: false,
      safetyChecks: [],
      invitedGuests: [],
      appointmentId: null,
      guestSelfId: null,
      meeting: {
        selfId: entry.group.seat.publicId,
        groupId: entry.group.groupId,
        name: entry.group.seat.name,
      },
    };
  }
  const nameOf = async (id: string): Promise<string | null> => (await deps.people.displayName(id)) ?? null;
  const appointmentId = entry.room.appointmentId;
  const safetyChecks: SafetyCheckView[] = [];
  if (deps.safetyChecks && appointmentId && entry.role === 'host') {
    for (const clientId of entry.participants.clientIds) {
      const check = await deps.safetyChecks.latestSafetyCheck({ ...actor, ip }, clientId, appointmentId);
      safetyChecks.push({ clientId, name: await nameOf(clientId), check });
    }
  }
  // A guest's header names the therapist only; the others name everyone else on the other side.
  const others = actor.guest
    ? [entry.participants.hostId]
    : [entry.participants.hostId, ...entry.participants.clientIds].filter((u) => u !== actor.id);
  const withWhom: OtherPerson[] = [];
  for (const other of others) {
    const part = other === entry.participants.hostId ? 'therapist' : 'client';
    withWhom.push({ name: await nameOf(other), part });
  }
  const invitedGuests = [];
  if (appointmentId && !actor.guest) {
    const { guests } = await deps.guests.list(actor, appointmentId);
    for (const g of guests.filter((x) => x.state !== 'removed')) {
      invitedGuests.push({ displayName: g.displayName, role: g.role, language: g.language });
    }
  }
  return {
    roomId: entry.room.id,
    role: entry.role,
    withWhom,
    audioOnly: entry.audioOnly,
    safetyChecks,
    meeting: null,
    invitedGuests,
    appointmentId,
    guestSelfId: actor.guest ? actor.id : null,
  };
}
