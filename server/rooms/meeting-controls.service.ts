import type { AuditTrail } from '../audit';
import { AppError, phrase } from '../shared/errors';
import type { LiveRoom, Seat } from './live-room';
import type { LiveSessionService } from './live-session.service';
import type { MeetingFlags } from './live.types';
import type { Actor, GroupMeetingLookup, GroupReport } from './rooms.types';

/**
 * What happens only in a group meeting: a facilitator mutes someone or turns their camera off (the
 * server closes their tracks and refuses new ones until the facilitator undoes it; the person
 * cannot), removes them (persisted: they cannot come back to this meeting) or blocks them (from the
 * group, so from all its meetings); anyone raises a hand; a member reports a person or a message
 * to the facilitators. Every facilitator action is audited.
 */
export class MeetingControls {
  readonly #live: LiveSessionService;
  readonly #meetings: GroupMeetingLookup | null;
  readonly #audit: AuditTrail;

  constructor(deps: { live: LiveSessionService; meetings: GroupMeetingLookup | null; audit: AuditTrail }) {
    this.#live = deps.live;
    this.#meetings = deps.meetings;
    this.#audit = deps.audit;
  }

  async setMuted(host: Actor, roomId: string, peerId: string, on: boolean, ip: string | null): Promise<void> {
    await this.#moderate(host, roomId, peerId, 'muted', on, ip);
  }

  async setCameraOff(
    host: Actor,
    roomId: string,
    peerId: string,
    on: boolean,
    ip: string | null,
  ): Promise<void> {
    await this.#moderate(host, roomId, peerId, 'cameraOff', on, ip);
  }

  /** Out of the meeting at once; `block` also blocks them from the group (the groups feature persists both). */
  async remove(
    host: Actor,
    roomId: string,
    peerId: string,
    block: boolean,
    ip: string | null,
  ): Promise<void> {
    const { live, meetingId } = this.#hosting(host, roomId);
    const target = this.#target(live, peerId);
    const memberId = live.pseudonyms?.publicIdOf(target.userId);
    if (!memberId || !this.#meetings) throw noSuchPerson();
    await this.#meetings.removeFromMeeting({ ...host, ip }, meetingId, memberId, block);
    await this.#record(host, block ? 'room.member_blocked' : 'room.member_removed', live, target.userId, ip);
    await this.#live.expel(live, target.userId, 'meeting:removed', { blocked: block });
  }

  async raiseHand(actor: Actor, roomId: string, raised: boolean): Promise<void> {
    const { live, seat } = this.#live.admitted(actor, roomId);
    if (!live.group || !seat.meeting) throw notAMeeting();
    seat.meeting.handRaised = raised;
    this.#live.notifyPeers(live);
  }

  /** A member's report reaches the facilitators in the room at once and is kept for the group page. */
  async report(
    actor: Actor,
    roomId: string,
    input: { peerId?: string | undefined; messageId?: string | undefined; reason: string },
    ip: string | null,
  ): Promise<{ id: string }> {
    const { live } = this.#live.admitted(actor, roomId);
    if (!live.group || !this.#meetings) throw notAMeeting();
    // A member's public id is their membership id; anything else (a facilitator) is not reportable here.
    const aboutMemberId = input.peerId;
    const report: GroupReport = await this.#meetings.report({ ...actor, ip }, live.group.meetingId, {
      ...(aboutMemberId ? { aboutMemberId } : {}),
      ...(input.messageId ? { messageId: input.messageId } : {}),
      reason: input.reason,
    });
    const hosts = [...live.seats.values()]
      .filter((s) => s.role === 'host' && s.connected && s.state === 'admitted')
      .map((s) => s.userId);
    this.#live.notify(live, hosts, 'meeting:report', report);
    return { id: report.id };
  }

  async #moderate(
    host: Actor,
    roomId: string,
    peerId: string,
    flag: 'muted' | 'cameraOff',
    on: boolean,
    ip: string | null,
  ): Promise<void> {
    const { live } = this.#hosting(host, roomId);
    const target = this.#target(live, peerId);
    if (!target.meeting) throw noSuchPerson();
    target.meeting[flag] = on;
    // Closing (not pausing) the tracks: nothing of theirs reaches anyone, whatever their page does.
    if (on) live.media?.closeProducersOfKind(target.userId, flag === 'muted' ? 'audio' : 'video');
    const action = flag === 'muted' ? 'room.member_muted' : 'room.member_camera_off';
    await this.#record(host, on ? action : `${action}_undone`, live, target.userId, ip);
    this.#live.notify(live, [target.userId], 'meeting:moderated', { ...target.meeting } as MeetingFlags);
    this.#live.notifyPeers(live);
  }

  #hosting(host: Actor, roomId: string): { live: LiveRoom; meetingId: string } {
    const { live, seat } = this.#live.admitted(host, roomId);
    if (!live.group) throw notAMeeting();
    if (seat.role !== 'host') {
      throw new AppError('room.host_only', 'forbidden', phrase('rooms:problem.facilitatorOnly'));
    }
    return { live, meetingId: live.group.meetingId };
  }

  /** A member in the room (admitted or in the lobby), by public id; never a facilitator. */
  #target(live: LiveRoom, peerId: string): Seat {
    const userId = live.pseudonyms?.userIdOf(peerId);
    const seat = userId ? live.seats.get(userId) : undefined;
    if (!seat || seat.role === 'host') throw noSuchPerson();
    return seat;
  }

  async #record(
    host: Actor,
    action: string,
    live: LiveRoom,
    userId: string,
    ip: string | null,
  ): Promise<void> {
    await this.#audit.record({
      actorId: host.id,
      action,
      targetType: 'room',
      targetId: live.roomId,
      ip,
      details: { groupId: live.group?.groupId ?? '', member: live.pseudonyms?.publicIdOf(userId) ?? '' },
    });
  }
}

const notAMeeting = (): AppError =>
  new AppError('meeting.not_a_meeting', 'bad_request', phrase('rooms:problem.notAMeeting'));
const noSuchPerson = (): AppError =>
  new AppError('meeting.no_such_person', 'not_found', phrase('rooms:problem.notInMeeting'));
