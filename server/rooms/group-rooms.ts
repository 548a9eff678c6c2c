import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import { Pseudonyms } from './pseudonyms';
import type { EntryWindow, RoomParticipants } from './rooms.policy';
import type { LiveRoom, Seat } from './live-room';
import type { GroupMeetingLookup, GroupMeetingSeat, Room } from './rooms.types';

/**
 * Group meetings in the live room. A meeting's room is entered by the group's facilitators (hosts)
 * and its members in good standing; the groups feature decides each seat. Everyone else in the room
 * knows a person only by a public id and a name (the group pseudonym for members), never their user
 * id: `Pseudonyms` (pseudonyms.ts) rewrites every payload that leaves the server for such a room.
 */

/** What the access service adds to an entry for a group meeting's room. */
export interface GroupEntry {
  readonly meetingId: string;
  readonly groupId: string;
  readonly capacity: number;
  readonly seat: GroupMeetingSeat;
  readonly roster: readonly { userId: string; publicId: string; name: string }[];
}

const notFound = (): AppError =>
  new AppError('room.not_found', 'not_found', phrase('errors:room.noSuchMeeting'));

/** The meeting behind a group room, the person's seat (or the groups feature's refusal), the window. */
export async function groupEntry(
  meetings: GroupMeetingLookup | null,
  actor: { id: string },
  room: Room,
  times: { openBeforeMs: number; graceMs: number },
): Promise<{
  participants: RoomParticipants;
  window: EntryWindow;
  cancelled: boolean;
  group: GroupEntry;
}> {
  const meeting = room.meetingId && meetings ? await meetings.forRoom(room.meetingId) : null;
  if (!meeting || !meetings) throw notFound();
  const seat = await meetings.seat(meeting.id, actor.id);
  return {
    // No client record belongs to a group meeting: the audit subject stays empty.
    participants: { hostId: room.hostId, clientIds: [] },
    window: {
      opensAt: new Date(meeting.startsAt.getTime() - times.openBeforeMs),
      closesAt: new Date(meeting.endsAt.getTime() + times.graceMs),
    },
    cancelled: meeting.cancelled,
    group: {
      meetingId: meeting.id,
      groupId: meeting.groupId,
      capacity: meeting.capacity,
      seat,
      roster: await meetings.roster(meeting.id),
    },
  };
}

/** A new room for a meeting (the first facilitator is its nominal host; every facilitator hosts). */
export function newGroupRoom(meetingId: string, facilitatorIds: readonly string[], now: Date): Room {
  const hostId = facilitatorIds[0];
  if (!hostId) throw notFound();
  return {
    id: newId(),
    kind: 'group',
    appointmentId: null,
    meetingId,
    hostId,
    createdAt: now,
    closesAt: null,
    endedAt: null,
  };
}

/** Joins a person's group seat to the live room's state (the roster grows as members join the group). */
export function seatInGroupRoom(live: LiveRoom, userId: string, group: GroupEntry): void {
  live.group = { meetingId: group.meetingId, groupId: group.groupId, capacity: group.capacity };
  live.pseudonyms ??= new Pseudonyms(group.roster);
  live.pseudonyms.add(userId, group.seat.publicId, group.seat.name);
}

/** A group meeting admits at most the group's capacity of members (facilitators not counted). */
export function assertRoomForOneMore(live: LiveRoom): void {
  if (!live.group) return;
  const members = [...live.seats.values()].filter((s) => s.role !== 'host' && s.state === 'admitted');
  if (members.length >= live.group.capacity) {
    throw new AppError('room.full', 'conflict', phrase('rooms:problem.meetingFull'));
  }
}

/** Muted (audio) or camera turned off (video) by a facilitator: the server refuses such tracks. */
export function isSilenced(seat: Pick<Seat, 'meeting'>, kind: 'audio' | 'video' | string): boolean {
  return kind === 'audio' ? Boolean(seat.meeting?.muted) : Boolean(seat.meeting?.cameraOff);
}

export function assertNotSilenced(seat: Pick<Seat, 'meeting'>, kind: 'audio' | 'video' | string): void {
  if (!isSilenced(seat, kind)) return;
  throw kind === 'audio'
    ? new AppError('meeting.muted', 'forbidden', phrase('rooms:problem.mutedByFacilitator'))
    : new AppError('meeting.camera_off', 'forbidden', phrase('rooms:problem.cameraOffByFacilitator'));
}
