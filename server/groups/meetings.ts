import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { Op, type Sequelize } from 'sequelize';
import { z } from 'zod';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import type { FieldCipher } from '../shared/field-encryption';
import { firstProblem } from '../shared/form-refusal';
import { idSchema, newId } from '../shared/ids';
import type { GroupsService } from './groups.service';
import type { AuditPort, GroupActor, PeoplePort } from './groups.types';
import { defineMeetingModels, type MeetingModels, type MeetingRow } from './meetings.model';

/** One scheduled meeting of a group. */
export interface Meeting {
  readonly id: string;
  readonly groupId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly cancelled: boolean;
}

/** What the live room needs to know about a meeting (the rooms feature's `GroupMeetingLookup`). */
export interface MeetingForRoom extends Meeting {
  readonly capacity: number;
  readonly facilitatorIds: readonly string[];
}

/**
 * The seat a person takes at a meeting. `publicId` is what everyone else in the room sees instead
 * of the user id: the membership id for a member, an id derived from the meeting for a facilitator.
 */
export interface MeetingSeat {
  readonly role: 'host' | 'client';
  readonly publicId: string;
  readonly name: string;
}

/** A member's report to the facilitators, as a facilitator sees it (pseudonyms only). */
export interface ReportView {
  readonly id: string;
  readonly meetingId: string | null;
  readonly reporter: string;
  readonly about: string | null;
  readonly messageId: string | null;
  readonly reason: string;
  readonly createdAt: string;
}

export const scheduleMeetingInput = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'groups:problem.meetingDate'),
  time: z.string().regex(/^\d{2}:\d{2}$/, 'groups:problem.meetingTime'),
  durationMinutes: z.coerce
    .number({ error: 'groups:problem.duration' })
    .int('groups:problem.duration')
    .min(15, 'groups:problem.minDuration')
    .max(240, 'groups:problem.maxDuration'),
  /** How many weekly meetings, the first included. */
  repeatWeeks: z.coerce
    .number({ error: 'groups:problem.repeatWeeks' })
    .int('groups:problem.repeatWeeks')
    .min(1, 'groups:problem.repeatWeeks')
    .max(26, 'groups:problem.maxWeeks')
    .default(1),
});

export const reportInput = z
  .object({
    aboutMemberId: idSchema.optional(),
    messageId: idSchema.optional(),
    reason: z.string().trim().min(3, 'groups:problem.reportReason').max(1000, 'errors:field.atMost'),
  })
  .refine((r) => Boolean(r.aboutMemberId) !== Boolean(r.messageId), 'groups:problem.reportOne');

const forbidden = (): AppError =>
  new AppError('meeting.forbidden', 'forbidden', phrase('groups:problem.notInMeeting'));
const notFound = (): AppError =>
  new AppError('meeting.not_found', 'not_found', phrase('groups:problem.noSuchMeeting'));

/** A stable, opaque, UUID-shaped id for a facilitator in one meeting (never their user id). */
function facilitatorPublicId(meetingId: string, userId: string): string {
  const h = createHash('sha256').update(`group-meeting-facilitator:${meetingId}:${userId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Who a person is in one meeting, as far as the face they show there depends on it. */
type MeetingPerson =
  | { readonly as: 'member'; readonly membershipId: string; readonly pseudonym: string }
  | { readonly as: 'host'; readonly userId: string; readonly facilitatorIds: readonly string[] };

/**
 * The one place a person's public face in a meeting is decided: an id other than their user id and
 * a name other than their account name, for everyone, facilitators included (the README's promise).
 * A member is their membership id and group pseudonym; a facilitator is a per-meeting id and
 * "Facilitator" (numbered when the group has several, in the group's order); an admin hosting a
 * group they do not facilitate is "Clinic host". Every seat and roster entry is built here.
 */
function publicFace(meetingId: string, person: MeetingPerson): { publicId: string; name: string } {
  if (person.as === 'member') return { publicId: person.membershipId, name: person.pseudonym };
  const position = person.facilitatorIds.indexOf(person.userId);
  const name =
    position < 0
      ? 'Clinic host'
      : person.facilitatorIds.length > 1
        ? `Facilitator ${position + 1}`
        : 'Facilitator';
  return { publicId: facilitatorPublicId(meetingId, person.userId), name };
}

/**
 * Group meetings: scheduling (one meeting or a weekly run, in the facilitator's time zone), who may
 * take which seat (facilitators and admins host; members in good standing who accepted the current
 * guidelines attend; removed-from-this-meeting and blocked members never come back), and members'
 * reports to the facilitators (sealed at rest, audited). The live room itself is the rooms feature's.
 */
export class GroupMeetings {
  readonly #m: MeetingModels;
  readonly #sequelize: Sequelize;
  readonly #groups: GroupsService;
  readonly #people: PeoplePort;
  readonly #cipher: FieldCipher;
  readonly #audit: AuditPort;
  readonly #clock: Clock;

  constructor(deps: {
    sequelize: Sequelize;
    groups: GroupsService;
    people: PeoplePort;
    cipher: FieldCipher;
    audit: AuditPort;
    clock: Clock;
  }) {
    this.#m = defineMeetingModels(deps.sequelize);
    this.#sequelize = deps.sequelize;
    this.#groups = deps.groups;
    this.#people = deps.people;
    this.#cipher = deps.cipher;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
  }

  /** A facilitator or admin schedules one meeting, or the same time weekly for `repeatWeeks` weeks. */
  async schedule(actor: GroupActor, groupId: string, input: unknown, timeZone: string): Promise<Meeting[]> {
    const page = await this.#groups.page(actor, groupId);
    if (!page.canManage) throw forbidden();
    const parsed = scheduleMeetingInput.safeParse(input);
    if (!parsed.success) {
      throw new AppError('meeting.invalid', 'bad_request', firstProblem(parsed.error.issues));
    }
    const { date, time, durationMinutes, repeatWeeks } = parsed.data;
    const first = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
    if (!first.isValid)
      throw new AppError('meeting.invalid', 'bad_request', phrase('groups:problem.noSuchTime'));
    if (first.toMillis() <= this.#clock.now().getTime()) {
      throw new AppError('meeting.in_the_past', 'bad_request', phrase('groups:problem.future'));
    }
    const meetings: Meeting[] = [];
    for (let i = 0; i < repeatWeeks; i += 1) {
      // Calendar weeks in the zone: a 18:00 meeting stays at 18:00 local across daylight saving.
      const start = first.plus({ weeks: i });
      meetings.push({
        id: newId(),
        groupId,
        startsAt: start.toJSDate(),
        endsAt: start.plus({ minutes: durationMinutes }).toJSDate(),
        cancelled: false,
      });
    }
    const now = this.#clock.now();
    await this.#sequelize.transaction(async (transaction) => {
      for (const m of meetings) {
        await this.#m.meetings.create(
          {
            id: m.id,
            group_id: groupId,
            starts_at: m.startsAt,
            ends_at: m.endsAt,
            created_by: actor.id,
            created_at: now,
            cancelled_at: null,
          },
          { transaction },
        );
      }
    });
    await this.#record(actor.id, 'group.meetings_scheduled', groupId, actor.ip, { count: meetings.length });
    return meetings;
  }

  async cancel(actor: GroupActor, groupId: string, meetingId: string): Promise<void> {
    const page = await this.#groups.page(actor, groupId);
    if (!page.canManage) throw forbidden();
    const meeting = await this.meeting(meetingId);
    if (!meeting || meeting.groupId !== groupId) throw notFound();
    await this.#m.meetings.update({ cancelled_at: this.#clock.now() }, { where: { id: meetingId } });
    await this.#record(actor.id, 'group.meeting_cancelled', groupId, actor.ip, { meetingId });
  }

  /** Meetings not yet over (by `graceMs` after their end), soonest first. */
  async upcoming(groupId: string, graceMs: number, limit = 12): Promise<Meeting[]> {
    const rows = await this.#m.meetings.findAll({
      where: {
        group_id: groupId,
        cancelled_at: null,
        ends_at: { [Op.gt]: new Date(this.#clock.now().getTime() - graceMs) },
      },
      order: [['starts_at', 'ASC']],
      limit,
    });
    return rows.map((r) => view(r.get({ plain: true })));
  }

  /** Is the meeting's room open now (from `openBeforeMs` before the start to `graceMs` after the end)? */
  isOpen(meeting: Meeting, times: { openBeforeMs: number; graceMs: number }): boolean {
    const now = this.#clock.now().getTime();
    return (
      !meeting.cancelled &&
      now >= meeting.startsAt.getTime() - times.openBeforeMs &&
      now <= meeting.endsAt.getTime() + times.graceMs
    );
  }

  async meeting(meetingId: string): Promise<Meeting | null> {
    const row = await this.#m.meetings.findByPk(meetingId);
    return row ? view(row.get({ plain: true })) : null;
  }

  async forRoom(meetingId: string): Promise<MeetingForRoom | null> {
    const meeting = await this.meeting(meetingId);
    if (!meeting) return null;
    const group = await this.#groups.group(meeting.groupId);
    return { ...meeting, capacity: group.capacity, facilitatorIds: group.facilitatorIds };
  }

  /**
   * The seat `userId` takes at a meeting, or the precise refusal: `meeting.blocked` (blocked from the
   * group), `meeting.removed` (removed from this meeting), `meeting.guidelines_needed`, or
   * `meeting.forbidden` (not a member in good standing, not a facilitator).
   */
  async seat(meetingId: string, userId: string): Promise<MeetingSeat> {
    const meeting = await this.forRoom(meetingId);
    if (!meeting) throw notFound();
    // Hosts: the group's facilitators, and admins (who manage every group). A clinician is not a host
    // because they are a clinician, only if they are one of the group's facilitators.
    const person = await this.#people.byId(userId);
    const admin = person?.status === 'active' && person.roles.includes('admin');
    if (meeting.facilitatorIds.includes(userId) || admin) {
      const face = publicFace(meetingId, { as: 'host', userId, facilitatorIds: meeting.facilitatorIds });
      return { role: 'host', ...face };
    }
    const member = await this.#groups.membershipOf(meeting.groupId, userId);
    if (member?.status === 'blocked') {
      throw new AppError('meeting.blocked', 'forbidden', phrase('groups:problem.blocked'));
    }
    if (!member || member.status !== 'active') throw forbidden();
    if (await this.#m.removals.findOne({ where: { meeting_id: meetingId, member_id: member.id } })) {
      throw new AppError('meeting.removed', 'forbidden', phrase('groups:problem.removed'));
    }
    if (!(await this.#groups.mayAttend(userId, meeting.groupId))) {
      throw new AppError('meeting.guidelines_needed', 'forbidden', phrase('groups:problem.acceptGuidelines'));
    }
    return {
      role: 'client',
      ...publicFace(meetingId, { as: 'member', membershipId: member.id, pseudonym: member.pseudonym }),
    };
  }

  /** Everyone who could appear in the meeting's room: user id → public id and name (pseudonyms for members). */
  async roster(meetingId: string): Promise<{ userId: string; publicId: string; name: string }[]> {
    const meeting = await this.forRoom(meetingId);
    if (!meeting) return [];
    const members = (await this.#groups.memberships(meeting.groupId)).map((m) => ({
      userId: m.userId,
      ...publicFace(meetingId, { as: 'member', membershipId: m.id, pseudonym: m.pseudonym }),
    }));
    const hosts = meeting.facilitatorIds.map((id) => ({
      userId: id,
      ...publicFace(meetingId, { as: 'host', userId: id, facilitatorIds: meeting.facilitatorIds }),
    }));
    return [...members, ...hosts];
  }

  /**
   * A facilitator removes a member from the meeting (persisted: they cannot come back to it); with
   * `block`, the member is also blocked from the group, so from all its meetings.
   */
  async removeFromMeeting(
    facilitator: GroupActor,
    meetingId: string,
    memberId: string,
    block: boolean,
  ): Promise<void> {
    const meeting = await this.forRoom(meetingId);
    if (!meeting) throw notFound();
    if (!meeting.facilitatorIds.includes(facilitator.id) && !facilitator.roles.includes('admin')) {
      throw forbidden();
    }
    const member = await this.#groups.memberForManager(facilitator, meeting.groupId, memberId);
    const existing = await this.#m.removals.findOne({
      where: { meeting_id: meetingId, member_id: member.id },
    });
    if (!existing) {
      await this.#m.removals.create({
        meeting_id: meetingId,
        member_id: member.id,
        removed_by: facilitator.id,
        created_at: this.#clock.now(),
      });
    }
    await this.#record(facilitator.id, 'group.meeting_member_removed', meeting.groupId, facilitator.ip, {
      meetingId,
      memberId,
    });
    if (block) await this.#groups.remove(facilitator, meeting.groupId, memberId, true);
  }

  /** A member reports a person or a chat message to the facilitators. */
  async report(reporter: GroupActor, meetingId: string, input: unknown): Promise<ReportView> {
    const parsed = reportInput.safeParse(input);
    if (!parsed.success) {
      throw new AppError('meeting.invalid_report', 'bad_request', firstProblem(parsed.error.issues));
    }
    const meeting = await this.forRoom(meetingId);
    if (!meeting) throw notFound();
    const me = await this.#groups.membershipOf(meeting.groupId, reporter.id);
    if (!me || me.status !== 'active') throw forbidden();
    const members = await this.#groups.memberships(meeting.groupId);
    const about = parsed.data.aboutMemberId
      ? members.find((m) => m.id === parsed.data.aboutMemberId)
      : undefined;
    if (parsed.data.aboutMemberId && !about)
      throw new AppError('meeting.no_such_member', 'not_found', phrase('groups:problem.noSuchMember'));
    const id = newId();
    const createdAt = this.#clock.now();
    await this.#m.reports.create({
      id,
      group_id: meeting.groupId,
      meeting_id: meetingId,
      reporter_member_id: me.id,
      about_member_id: about?.id ?? null,
      message_id: parsed.data.messageId ?? null,
      reason_enc: this.#cipher.encrypt(parsed.data.reason, `peer_group_reports.reason:${id}`),
      created_at: createdAt,
    });
    await this.#audit.record({
      actorId: reporter.id,
      action: 'group.report_made',
      targetType: 'peer_group_report',
      targetId: id,
      ip: reporter.ip ?? null,
      details: { groupId: meeting.groupId, meetingId, kind: about ? 'person' : 'message' },
    });
    return {
      id,
      meetingId,
      reporter: me.pseudonym,
      about: about?.pseudonym ?? null,
      messageId: parsed.data.messageId ?? null,
      reason: parsed.data.reason,
      createdAt: createdAt.toISOString(),
    };
  }

  /** The group's reports, newest first, for its facilitators and admins (reading them is audited). */
  async reports(actor: GroupActor, groupId: string): Promise<ReportView[]> {
    const page = await this.#groups.page(actor, groupId);
    if (!page.canManage) throw forbidden();
    const names = new Map((await this.#groups.memberships(groupId)).map((m) => [m.id, m.pseudonym]));
    const rows = await this.#m.reports.findAll({
      where: { group_id: groupId },
      order: [['created_at', 'DESC']],
      limit: 50,
    });
    await this.#record(actor.id, 'group.reports_read', groupId, actor.ip, { count: rows.length });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return {
        id: p.id,
        meetingId: p.meeting_id,
        reporter: names.get(p.reporter_member_id) ?? 'A member',
        about: p.about_member_id ? (names.get(p.about_member_id) ?? 'A member') : null,
        messageId: p.message_id,
        reason: this.#cipher.decrypt(p.reason_enc, `peer_group_reports.reason:${p.id}`),
        createdAt: new Date(p.created_at).toISOString(),
      };
    });
  }

  async #record(
    actorId: string,
    action: string,
    groupId: string,
    ip: string | null | undefined,
    details: Record<string, string | number>,
  ): Promise<void> {
    await this.#audit.record({
      actorId,
      action,
      targetType: 'peer_group',
      targetId: groupId,
      ip: ip ?? null,
      details,
    });
  }
}

function view(p: MeetingRow): Meeting {
  return {
    id: p.id,
    groupId: p.group_id,
    startsAt: new Date(p.starts_at),
    endsAt: new Date(p.ends_at),
    cancelled: p.cancelled_at !== null,
  };
}
