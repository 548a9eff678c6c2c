import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import { AppError, phrase, type ErrorCode, type Problem } from '../shared/errors';
import { firstProblem } from '../shared/form-refusal';
import { newId } from '../shared/ids';
import { canCreateGroup, canFacilitate, canJoin, canManageGroup, canSeeRealNames } from './groups.policy';
import type { GroupsRepository } from './groups.repository';
import { createGroupInput, guidelinesInput, pseudonymInput } from './groups.schemas';
import type {
  AuditPort,
  Group,
  GroupActor,
  GroupPage,
  GroupSettings,
  Guidelines,
  Membership,
  MemberView,
  PeoplePort,
} from './groups.types';

const forbidden = (): AppError =>
  new AppError('groups.forbidden', 'forbidden', phrase('groups:problem.forbidden'));
const notFound = (): AppError =>
  new AppError('groups.not_found', 'not_found', phrase('groups:problem.noSuchGroup'));

function invalid(code: ErrorCode, problem: Problem): AppError {
  return new AppError(code, 'bad_request', problem);
}

/**
 * Peer-support groups: creation with facilitators and versioned guidelines, pseudonymous membership
 * (open or approval-only), removal and blocking (neither may rejoin), and the member list, which
 * carries pseudonyms and opaque member ids only, plus real names for the viewers the policy allows.
 * Membership of a support group is sensitive, so every change is audited.
 */
export class GroupsService {
  readonly #sequelize: Sequelize;
  readonly #repo: GroupsRepository;
  readonly #people: PeoplePort;
  readonly #audit: AuditPort;
  readonly #settings: GroupSettings;
  readonly #clock: Clock;

  constructor(deps: {
    sequelize: Sequelize;
    repo: GroupsRepository;
    people: PeoplePort;
    audit: AuditPort;
    settings: GroupSettings;
    clock: Clock;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#people = deps.people;
    this.#audit = deps.audit;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
  }

  async create(actor: GroupActor, input: unknown): Promise<Group> {
    if (!canCreateGroup(actor)) throw forbidden();
    const parsed = createGroupInput.safeParse(input);
    if (!parsed.success) throw invalid('groups.invalid', firstProblem(parsed.error.issues));
    const data = parsed.data;
    const facilitatorIds = [...new Set(data.facilitatorIds)];
    for (const id of facilitatorIds) {
      const person = await this.#people.byId(id);
      if (!person || person.status !== 'active' || !canFacilitate(person)) {
        throw invalid('groups.not_a_facilitator', phrase('groups:problem.facilitatorRole'));
      }
    }
    const group = {
      id: newId(),
      topic: data.topic,
      description: data.description,
      capacity: data.capacity,
      membership: data.membership,
      createdBy: actor.id,
      createdAt: this.#clock.now(),
      facilitatorIds,
    };
    await this.#sequelize.transaction((tx) => this.#repo.insertGroup(group, data.guidelines, tx));
    await this.#record(actor, 'group.created', group.id, { facilitators: facilitatorIds.length });
    return { ...group, guidelinesVersion: 1 };
  }

  async group(id: string): Promise<Group> {
    const group = await this.#repo.groupById(id);
    if (!group) throw notFound();
    return group;
  }

  /** Every open (not archived) group with its active-member count: topics are public to signed-in people. */
  list(): Promise<{ group: Group; activeCount: number }[]> {
    return this.#repo.listActive();
  }

  /** What the group's page shows to `viewer`. */
  async page(viewer: GroupActor, groupId: string): Promise<GroupPage> {
    const group = await this.group(groupId);
    const own = await this.#repo.membership(groupId, viewer.id);
    const canManage = canManageGroup(viewer, group);
    const seesMembers = canManage || own?.status === 'active';
    return {
      group,
      guidelines: await this.guidelines(groupId),
      me: own
        ? {
            memberId: own.id,
            pseudonym: own.pseudonym,
            status: own.status,
            acceptedGuidelines: own.guidelinesVersion === group.guidelinesVersion,
          }
        : null,
      canManage,
      isFacilitator: group.facilitatorIds.includes(viewer.id),
      canJoin: own === null && canJoin(viewer, group),
      members: seesMembers ? await this.members(viewer, groupId) : null,
      activeCount: await this.#repo.countActive(groupId),
    };
  }

  /** Joins under a pseudonym: active at once (open group) or pending a facilitator (approval-only). */
  async join(actor: GroupActor, groupId: string, pseudonym: string): Promise<Membership> {
    const group = await this.group(groupId);
    if (!canJoin(actor, group)) throw forbidden();
    const parsed = pseudonymInput.safeParse(pseudonym);
    if (!parsed.success) throw invalid('groups.invalid_pseudonym', firstProblem(parsed.error.issues));
    const me = await this.#people.byId(actor.id);
    const name = parsed.data.toLocaleLowerCase();
    if (
      me &&
      (name === me.displayName.toLocaleLowerCase() || name === me.email.split('@')[0]?.toLocaleLowerCase())
    ) {
      throw invalid('groups.pseudonym_is_real_name', phrase('groups:problem.pseudonymIsRealName'));
    }
    const existing = await this.#repo.membership(groupId, actor.id);
    if (existing?.status === 'removed' || existing?.status === 'blocked') {
      throw new AppError('groups.cannot_rejoin', 'forbidden', phrase('groups:problem.cannotRejoin'));
    }
    if (existing) return existing;
    if (group.membership === 'open' && (await this.#repo.countActive(groupId)) >= group.capacity) {
      throw new AppError('groups.full', 'conflict', phrase('groups:problem.full'));
    }
    const member: Membership = {
      id: newId(),
      groupId,
      userId: actor.id,
      pseudonym: parsed.data,
      status: group.membership === 'open' ? 'active' : 'pending',
      guidelinesVersion: null,
    };
    if (!(await this.#repo.insertMember(member, this.#clock.now()))) {
      throw invalid('groups.pseudonym_taken', phrase('groups:problem.pseudonymTaken'));
    }
    await this.#record(actor, member.status === 'active' ? 'group.joined' : 'group.join_requested', groupId, {
      memberId: member.id,
    });
    return member;
  }

  async approve(actor: GroupActor, groupId: string, memberId: string): Promise<void> {
    const { group, member } = await this.#managed(actor, groupId, memberId);
    if (member.status !== 'pending')
      throw new AppError('groups.not_pending', 'conflict', phrase('groups:problem.nothingToApprove'));
    if ((await this.#repo.countActive(groupId)) >= group.capacity) {
      throw new AppError('groups.full', 'conflict', phrase('groups:problem.full'));
    }
    await this.#repo.setStatus(member.id, 'active', this.#clock.now());
    await this.#record(actor, 'group.member_approved', groupId, { memberId });
  }

  /** Removes a member; with `block` they are also refused if they try again. Neither may rejoin. */
  async remove(actor: GroupActor, groupId: string, memberId: string, block: boolean): Promise<void> {
    const { member } = await this.#managed(actor, groupId, memberId);
    await this.#repo.setStatus(member.id, block ? 'blocked' : 'removed', this.#clock.now());
    await this.#record(actor, block ? 'group.member_blocked' : 'group.member_removed', groupId, { memberId });
  }

  async guidelines(groupId: string): Promise<Guidelines> {
    const current = await this.#repo.currentGuidelines(groupId);
    if (!current) throw notFound();
    return current;
  }

  /** A new version of the guidelines: every member accepts it again before the next meeting. */
  async publishGuidelines(actor: GroupActor, groupId: string, text: string): Promise<Guidelines> {
    const group = await this.group(groupId);
    if (!canManageGroup(actor, group)) throw forbidden();
    const parsed = guidelinesInput.safeParse(text);
    if (!parsed.success) throw invalid('groups.invalid_guidelines', firstProblem(parsed.error.issues));
    const version = group.guidelinesVersion + 1;
    await this.#sequelize.transaction((tx) =>
      this.#repo.insertGuidelines(groupId, version, parsed.data, actor.id, this.#clock.now(), tx),
    );
    await this.#record(actor, 'group.guidelines_published', groupId, { version });
    return { version, text: parsed.data };
  }

  async acceptGuidelines(actor: GroupActor, groupId: string, version: number): Promise<void> {
    const member = await this.#repo.membership(groupId, actor.id);
    if (!member || member.status !== 'active') throw forbidden();
    const current = await this.guidelines(groupId);
    if (version !== current.version) {
      throw new AppError('groups.guidelines_changed', 'conflict', phrase('groups:problem.guidelinesChanged'));
    }
    await this.#repo.acceptGuidelines(member.id, version, this.#clock.now());
    await this.#record(actor, 'group.guidelines_accepted', groupId, { version });
  }

  /** May this person attend the group's meetings? Active, and has accepted the current guidelines. */
  async mayAttend(userId: string, groupId: string): Promise<boolean> {
    const group = await this.#repo.groupById(groupId);
    if (!group) return false;
    if (group.facilitatorIds.includes(userId)) return true;
    const member = await this.#repo.membership(groupId, userId);
    return member?.status === 'active' && member.guidelinesVersion === group.guidelinesVersion;
  }

  /**
   * The member list as `viewer` may see it: facilitators and admins see everyone (with real names
   * only if allowed); an active member sees the other active members by pseudonym; nobody else
   * sees anything. No user ids, emails or real names reach a member.
   */
  async members(viewer: GroupActor, groupId: string): Promise<MemberView[]> {
    const group = await this.group(groupId);
    const manager = canManageGroup(viewer, group);
    if (!manager) {
      const own = await this.#repo.membership(groupId, viewer.id);
      if (own?.status !== 'active') throw forbidden();
    }
    const names = canSeeRealNames(viewer, group, this.#settings.facilitatorsSeeNames);
    const views: MemberView[] = [];
    for (const m of await this.#repo.members(groupId)) {
      if (!manager && m.status !== 'active') continue;
      const view: MemberView = {
        memberId: m.id,
        pseudonym: m.pseudonym,
        status: m.status,
        acceptedGuidelines: m.guidelinesVersion === group.guidelinesVersion,
      };
      views.push(
        names ? { ...view, realName: (await this.#people.byId(m.userId))?.displayName ?? '' } : view,
      );
    }
    return views;
  }

  /** A person's membership of a group, server side only (meetings use it to seat people). */
  async membershipOf(groupId: string, userId: string): Promise<Membership | null> {
    return this.#repo.membership(groupId, userId);
  }

  /** Every membership of a group, server side only (meetings map user ids to pseudonyms with it). */
  async memberships(groupId: string): Promise<Membership[]> {
    return this.#repo.members(groupId);
  }

  /** A member of the group, for an admin or facilitator (escalation uses it). */
  async memberForManager(actor: GroupActor, groupId: string, memberId: string): Promise<Membership> {
    return (await this.#managed(actor, groupId, memberId)).member;
  }

  async #managed(
    actor: GroupActor,
    groupId: string,
    memberId: string,
  ): Promise<{ group: Group; member: Membership }> {
    const group = await this.group(groupId);
    if (!canManageGroup(actor, group)) throw forbidden();
    const member = await this.#repo.memberById(memberId);
    if (!member || member.groupId !== groupId) throw notFound();
    return { group, member };
  }

  async #record(
    actor: GroupActor,
    action: string,
    groupId: string,
    details: Record<string, string | number>,
  ): Promise<void> {
    await this.#audit.record({
      actorId: actor.id,
      action,
      targetType: 'peer_group',
      targetId: groupId,
      ip: actor.ip ?? null,
      details,
    });
  }
}
