import { Op, type Sequelize, type Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Outbox } from '../mail';
import type { Clock } from '../shared/clock';
import { SOURCE_LANGUAGE } from '../i18n';
import { AppError, phrase } from '../shared/errors';
import { invitationEmail, type EmailContext } from './account-emails';
import { hashToken, newId, newToken } from '../shared/ids';
import type { AccessModels, InvitationRow } from './access.model';
import { canInvite, canRevokeInvitation, hasRole, type Actor } from './accounts.policy';
import { isRole, type Role } from './roles';
import type { UserRepository } from './user.repository';

export const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000;

export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly invitedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly status: 'pending' | 'accepted' | 'revoked' | 'expired';
}

function toInvitation(row: InvitationRow, now: Date): Invitation {
  const status = row.accepted_at
    ? 'accepted'
    : row.revoked_at
      ? 'revoked'
      : new Date(row.expires_at).getTime() <= now.getTime()
        ? 'expired'
        : 'pending';
  return {
    id: row.id,
    email: row.email,
    role: isRole(row.role) ? row.role : 'client',
    invitedBy: row.invited_by,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    status,
  };
}

/** Single-use, 7-day, revocable invitations by email (staff by admins, clients by their therapist). */
export class InvitationsService {
  readonly #sequelize: Sequelize;
  readonly #models: AccessModels;
  readonly #users: UserRepository;
  readonly #audit: AuditTrail;
  readonly #outbox: Outbox;
  readonly #clock: Clock;
  readonly #emailContext: () => Promise<EmailContext>;

  constructor(deps: {
    sequelize: Sequelize;
    models: AccessModels;
    users: UserRepository;
    audit: AuditTrail;
    outbox: Outbox;
    clock: Clock;
    emailContext: () => Promise<EmailContext>;
  }) {
    this.#sequelize = deps.sequelize;
    this.#models = deps.models;
    this.#users = deps.users;
    this.#audit = deps.audit;
    this.#outbox = deps.outbox;
    this.#clock = deps.clock;
    this.#emailContext = deps.emailContext;
  }

  /**
   * Invites someone by email. `language` is the one the invitation is written in: the invitee has
   * no profile yet, so the caller chooses (the form's choice, else the clinic's default language).
   */
  async invite(
    actor: Actor & { displayName: string },
    email: string,
    role: Role,
    ip: string | null,
    language: string = SOURCE_LANGUAGE,
  ): Promise<Invitation> {
    if (!canInvite(actor, role)) throw new AppError('invitation.forbidden', 'forbidden');
    const now = this.#clock.now();
    const token = newToken();
    const id = newId();
    const ctx = await this.#emailContext();
    await this.#sequelize.transaction(async (transaction) => {
      if (await this.#users.byEmail(email, transaction)) {
        const taken = phrase('errors:invitation.emailTaken');
        throw new AppError('invitation.email_taken', 'conflict', taken, { email: taken });
      }
      // A new invitation to the same address replaces the earlier pending ones.
      await this.#models.invitations.update(
        { revoked_at: now },
        { where: { email, accepted_at: null, revoked_at: null }, transaction },
      );
      await this.#models.invitations.create(
        {
          id,
          email,
          role,
          invited_by: actor.id,
          token_hash: hashToken(token),
          expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS),
          accepted_at: null,
          accepted_user_id: null,
          revoked_at: null,
          created_at: now,
        },
        { transaction },
      );
      await this.#outbox.enqueue(
        invitationEmail(ctx, { email, language }, token, id, actor.displayName, role),
        transaction,
      );
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'invitation.created',
          targetType: 'invitation',
          targetId: id,
          ip,
          details: { role },
        },
        transaction,
      );
    });
    return (await this.byId(id))!;
  }

  async byId(id: string): Promise<Invitation | null> {
    const row = await this.#models.invitations.findByPk(id);
    return row ? toInvitation(row.get({ plain: true }), this.#clock.now()) : null;
  }

  /** Admins see every invitation; others see the ones they sent. Newest first. */
  async listFor(actor: Actor): Promise<Invitation[]> {
    const rows = await this.#models.invitations.findAll({
      where: hasRole(actor, 'admin') ? {} : { invited_by: actor.id },
      order: [['created_at', 'DESC']],
      limit: 200,
    });
    const now = this.#clock.now();
    return rows.map((r) => toInvitation(r.get({ plain: true }), now));
  }

  async revoke(actor: Actor, id: string, ip: string | null): Promise<void> {
    const invitation = await this.byId(id);
    if (!invitation || !canRevokeInvitation(actor, invitation))
      throw new AppError('invitation.not_found', 'not_found');
    if (invitation.status !== 'pending') {
      throw new AppError('invitation.not_pending', 'conflict', phrase('errors:invitation.notPending'));
    }
    await this.#sequelize.transaction(async (transaction) => {
      await this.#models.invitations.update(
        { revoked_at: this.#clock.now() },
        { where: { id, accepted_at: null, revoked_at: null }, transaction },
      );
      await this.#audit.record(
        { actorId: actor.id, action: 'invitation.revoked', targetType: 'invitation', targetId: id, ip },
        transaction,
      );
    });
  }

  /** A pending, unexpired invitation for this token, or null. */
  async pendingByToken(token: string): Promise<Invitation | null> {
    const row = await this.#models.invitations.findOne({
      where: {
        token_hash: hashToken(token),
        accepted_at: null,
        revoked_at: null,
        expires_at: { [Op.gt]: this.#clock.now() },
      },
    });
    return row ? toInvitation(row.get({ plain: true }), this.#clock.now()) : null;
  }

  /** Marks the invitation used inside the transaction that creates the account; once only. */
  async markAccepted(invitationId: string, userId: string, transaction: Transaction): Promise<void> {
    const [changed] = await this.#models.invitations.update(
      { accepted_at: this.#clock.now(), accepted_user_id: userId },
      {
        where: {
          id: invitationId,
          accepted_at: null,
          revoked_at: null,
          expires_at: { [Op.gt]: this.#clock.now() },
        },
        transaction,
      },
    );
    if (changed !== 1) {
      throw new AppError('invitation.invalid', 'bad_request', phrase('errors:invitation.invalid'));
    }
  }
}
