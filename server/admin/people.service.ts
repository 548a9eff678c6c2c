import type { Sequelize } from 'sequelize';
import { isRole, ROLES, type AccountsService, type Role, type User } from '../accounts';
import type { AuditTrail } from '../audit';
import type { CareService } from '../clinical';
import type { DirectoryService } from '../directory';
import { AppError, phrase, type Phrase } from '../shared/errors';
import { fieldRefusal } from '../shared/form-refusal';
import { canDeactivate, canResetTwoFactor, isAdmin, type AdminActor } from './admin.policy';

export const PEOPLE_PAGE_SIZE = 25;

export interface PeopleFilter {
  readonly q: string;
  readonly role: Role | null;
  readonly status: User['status'] | null;
  readonly page: number;
}

export interface PeoplePage {
  readonly people: readonly (User & { readonly clientCount: number | null })[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly filter: PeopleFilter;
}

/** Query-string values → a filter; anything unexpected is ignored rather than refused. */
export function peopleFilterFrom(query: Record<string, unknown>): PeopleFilter {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const role = str(query.role);
  const status = str(query.status);
  const page = Number.parseInt(str(query.page), 10);
  return {
    q: str(query.q).slice(0, 100),
    role: isRole(role) ? role : null,
    status: status === 'active' || status === 'deactivated' ? status : null,
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1,
  };
}

function forbidden(problem?: Phrase): AppError {
  return new AppError('admin.forbidden', 'forbidden', problem);
}

/**
 * The admin's people list and what they do to accounts: deactivate (signs out everywhere, keeps every
 * record) and reactivate, reset a second factor with a reason, change roles, assign clients and hand
 * over a leaving therapist's caseload. Each act is audited; the accounts and clinical features do the
 * underlying work through their public APIs.
 */
export class PeopleService {
  readonly #sequelize: Sequelize;
  readonly #accounts: AccountsService;
  readonly #care: CareService;
  readonly #directory: DirectoryService;
  readonly #audit: AuditTrail;

  constructor(deps: {
    sequelize: Sequelize;
    accounts: AccountsService;
    care: CareService;
    directory: DirectoryService;
    audit: AuditTrail;
  }) {
    this.#sequelize = deps.sequelize;
    this.#accounts = deps.accounts;
    this.#care = deps.care;
    this.#directory = deps.directory;
    this.#audit = deps.audit;
  }

  /**
   * Invites a member of staff. For a therapist the admin may add the licence they checked before
   * inviting: the therapist's profile then starts with it verified, so new clients can book them as
   * soon as their profile and hours are ready, with no admin step after the invitation. The licence
   * is checked before anything is sent, so a mistake in it sends no invitation.
   */
  async inviteStaff(
    actor: AdminActor & { readonly displayName: string },
    input: {
      readonly email: string;
      readonly role: Role;
      readonly form: Readonly<Record<string, unknown>>;
      /** The invitation's language (the invitee has no profile yet): the clinic's default. */
      readonly language?: string;
    },
  ): Promise<void> {
    if (!isAdmin(actor)) throw forbidden();
    const licence = input.role === 'therapist' ? this.#directory.parseInvitedLicence(input.form) : null;
    const invitation = await this.#accounts.invitations.invite(
      { ...actor, roles: actor.roles.filter(isRole) },
      input.email,
      input.role,
      actor.ip ?? null,
      input.language,
    );
    if (licence) {
      await this.#directory.recordInvitedLicence(
        { id: actor.id, roles: actor.roles.filter(isRole), ip: actor.ip ?? null },
        invitation,
        licence,
      );
    }
  }

  async list(actor: AdminActor, filter: PeopleFilter): Promise<PeoplePage> {
    if (!isAdmin(actor)) throw forbidden();
    const { users, total } = await this.#accounts.search({
      ...(filter.q ? { q: filter.q } : {}),
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      offset: (filter.page - 1) * PEOPLE_PAGE_SIZE,
      limit: PEOPLE_PAGE_SIZE,
    });
    const people = await Promise.all(
      users.map(async (u) => ({
        ...u,
        clientCount: u.roles.includes('therapist') ? (await this.#care.clientsOf(u.id)).length : null,
      })),
    );
    return {
      people,
      total,
      page: filter.page,
      pages: Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE)),
      filter,
    };
  }

  async person(actor: AdminActor, id: string): Promise<User> {
    if (!isAdmin(actor)) throw forbidden();
    const user = await this.#accounts.byId(id);
    if (!user)
      throw new AppError('admin.person_not_found', 'not_found', phrase('admin:problem.noSuchPerson'));
    return user;
  }

  /** Active therapists (for the assign and hand-over forms). */
  async therapists(): Promise<User[]> {
    return (await this.#accounts.list()).filter(
      (u) => u.roles.includes('therapist') && u.status === 'active',
    );
  }

  async clientsOf(therapistId: string): Promise<User[]> {
    const ids = (await this.#care.clientsOf(therapistId)).map((c) => c.clientId);
    return (await Promise.all(ids.map((id) => this.#accounts.byId(id)))).filter((u): u is User => u !== null);
  }

  async treatingTherapists(clientId: string): Promise<User[]> {
    const ids = await this.#care.treatingTherapistIds(clientId);
    return (await Promise.all(ids.map((id) => this.#accounts.byId(id)))).filter((u): u is User => u !== null);
  }

  /** Ends every session of the person at once (their open pages and live sockets stop working). */
  async deactivate(actor: AdminActor, targetId: string): Promise<void> {
    if (!canDeactivate(actor, targetId)) throw forbidden(phrase('admin:problem.notYourOwnAccount'));
    await this.person(actor, targetId);
    await this.#sequelize.transaction(async (transaction) => {
      if (!(await this.#accounts.setStatus(targetId, 'deactivated', transaction))) {
        throw new AppError(
          'admin.already_deactivated',
          'conflict',
          phrase('admin:problem.alreadyDeactivated'),
        );
      }
      await this.#audit.record(
        { actorId: actor.id, action: 'user.deactivated', targetType: 'user', targetId, ip: actor.ip ?? null },
        transaction,
      );
    });
    await this.#accounts.sessions.signOutEverywhere(targetId);
  }

  async reactivate(actor: AdminActor, targetId: string): Promise<void> {
    if (!isAdmin(actor)) throw forbidden();
    await this.person(actor, targetId);
    await this.#sequelize.transaction(async (transaction) => {
      if (!(await this.#accounts.setStatus(targetId, 'active', transaction))) {
        throw new AppError('admin.already_active', 'conflict', phrase('admin:problem.alreadyActive'));
      }
      await this.#audit.record(
        { actorId: actor.id, action: 'user.reactivated', targetType: 'user', targetId, ip: actor.ip ?? null },
        transaction,
      );
    });
  }

  /**
   * Removes the person's authenticator and recovery codes, with the admin's reason in the audit trail;
   * signs them out everywhere and tells them by email. Staff enrol again at their next sign-in.
   */
  async resetTwoFactor(actor: AdminActor, targetId: string, reasonInput: unknown): Promise<void> {
    if (!canResetTwoFactor(actor, targetId)) {
      throw forbidden(phrase('admin:problem.ownTwoFactor'));
    }
    const reason = typeof reasonInput === 'string' ? reasonInput.trim() : '';
    if (reason.length < 10 || reason.length > 500) {
      throw fieldRefusal(
        'admin.reason_required',
        'reason',
        phrase('admin:problem.resetReason', { min: 10, max: 500 }),
      );
    }
    const user = await this.person(actor, targetId);
    await this.#accounts.twoFactor.resetByAdmin(targetId, actor.id, reason, actor.ip ?? null);
    await this.#accounts.sessions.signOutEverywhere(targetId);
    await this.#accounts.lifecycle.notifySecurityChange(user, 'two_factor_disabled');
  }

  /** Role changes go through accounts (audited there; the person is signed out to pick them up). */
  async setRoles(actor: AdminActor, targetId: string, rolesInput: unknown): Promise<User> {
    if (!isAdmin(actor)) throw forbidden();
    const list = Array.isArray(rolesInput) ? rolesInput : rolesInput === undefined ? [] : [rolesInput];
    const roles = list.filter(
      (r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r),
    );
    return this.#accounts.lifecycle.setRoles(
      { id: actor.id, roles: actor.roles.filter(isRole) },
      targetId,
      roles,
      actor.ip ?? null,
    );
  }

  async assignClient(actor: AdminActor, clientId: string, therapistId: unknown): Promise<void> {
    if (!isAdmin(actor)) throw forbidden();
    if (typeof therapistId !== 'string' || !therapistId) {
      throw fieldRefusal('admin.choose_therapist', 'therapistId', phrase('admin:problem.chooseTherapist'));
    }
    await this.#care.assign(this.#clinicalActor(actor), therapistId, clientId);
  }

  async endCare(actor: AdminActor, clientId: string, therapistId: string): Promise<void> {
    if (!isAdmin(actor)) throw forbidden();
    await this.#care.end(this.#clinicalActor(actor), therapistId, clientId);
  }

  async transferCaseload(actor: AdminActor, fromId: string, toId: unknown): Promise<number> {
    if (!isAdmin(actor)) throw forbidden();
    if (typeof toId !== 'string' || !toId) {
      throw fieldRefusal('admin.choose_therapist', 'toId', phrase('admin:problem.chooseSuccessor'));
    }
    return this.#care.transferCaseload(this.#clinicalActor(actor), fromId, toId);
  }

  #clinicalActor(actor: AdminActor) {
    return { id: actor.id, roles: actor.roles.filter(isRole), ip: actor.ip ?? null };
  }
}
