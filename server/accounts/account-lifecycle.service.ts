import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Outbox } from '../mail';
import type { Clock } from '../shared/clock';
import {
  AppError,
  issueProblem,
  issueProblems,
  phrase,
  type ErrorCode,
  type Problem,
} from '../shared/errors';
import {
  resetEmail,
  securityNoticeEmail,
  verificationEmail,
  type EmailContext,
  type SecurityChange,
} from './account-emails';
import type { AccountTokens } from './account-tokens';
import {
  emailSchema,
  profileSchema,
  timeZoneSchema,
  type NewUserInput,
  type ProfileInput,
} from './accounts.schemas';
import type { ClinicSettingsService } from './clinic-settings.service';
import type { InvitationsService } from './invitations.service';
import { hashPassword, verifyPassword } from './password-hashing';
import { passwordProblem } from './password-policy';
import type { SessionsService } from './sessions.service';
import type { User, UserRepository } from './user.repository';
import { canChangeRoles, type Actor } from './accounts.policy';
import { ROLES, type Role } from './roles';
import type { DeferredWork } from '../shared/deferred-work';
import { newId } from '../shared/ids';
import { isLanguageCode, type LanguageCode } from '../i18n';
import { z } from 'zod';

/** The one thing the lifecycle asks of accounts' people service (AccountsService fits). */
export interface UserCreator {
  createUser(input: NewUserInput, actorId: string | null, outer?: Transaction): Promise<User>;
}

export interface LifecycleDeps {
  readonly sequelize: Sequelize;
  readonly users: UserRepository;
  readonly accounts: UserCreator;
  readonly tokens: AccountTokens;
  readonly invitations: InvitationsService;
  readonly clinic: ClinicSettingsService;
  readonly sessions: SessionsService;
  readonly audit: AuditTrail;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly passwordMinLength: number;
  readonly emailContext: () => Promise<EmailContext>;
  /** Runs reset requests after the answer is sent, so known and unknown addresses cost the same. */
  readonly deferred: DeferredWork;
}

const nameSchema = z.string().trim().min(1, 'errors:field.yourName').max(120, 'errors:field.atMost');

function invalid(code: ErrorCode, errors: Record<string, Problem>): AppError {
  return new AppError(
    code,
    'bad_request',
    Object.values(errors)[0] ?? phrase('errors:field.correctForm'),
    errors,
  );
}

/** The language of the page an account was made on, when it is one Haven ships (else the column's default). */
function pageLanguage(language: unknown): { language?: LanguageCode } {
  return isLanguageCode(language) ? { language } : {};
}

/**
 * Everything that happens to an account after it exists or on its way in: setup, sign-up and
 * verification, invitations accepted, password reset and change, profile edits, role changes.
 * Inputs are parsed here (zod), so a route only passes the form through; only named fields are read,
 * so posting `role=admin` to a form changes nothing (mass assignment).
 */
export class AccountLifecycle {
  readonly #d: LifecycleDeps;

  constructor(deps: LifecycleDeps) {
    this.#d = deps;
  }

  #checkPassword(password: unknown, field: string, context: string[]): string {
    if (typeof password !== 'string' || password.length === 0)
      throw invalid('accounts.password_invalid', { [field]: phrase('errors:field.password') });
    const problem = passwordProblem(password, this.#d.passwordMinLength, context);
    if (problem) throw invalid('accounts.password_invalid', { [field]: problem });
    return password;
  }

  #email(value: unknown): string {
    const parsed = emailSchema.safeParse(typeof value === 'string' ? value : '');
    if (!parsed.success) throw invalid('accounts.email_invalid', { email: phrase('errors:field.email') });
    return parsed.data;
  }

  /**
   * Name, email and password of a new account (setup and sign-up), checked together so the form
   * shows every problem at once: each one lands in `errors` under its field.
   */
  #checkIdentity(
    input: { email?: unknown; displayName?: unknown; password?: unknown },
    errors: Record<string, Problem>,
  ): { name: ReturnType<typeof nameSchema.safeParse>; email: string } {
    const name = nameSchema.safeParse(input.displayName ?? '');
    if (!name.success) errors.displayName = issueProblem(name.error.issues[0]!);
    let email = '';
    try {
      email = this.#email(input.email);
    } catch (e) {
      Object.assign(errors, (e as AppError).details);
    }
    try {
      this.#checkPassword(input.password, 'password', [email, name.data ?? '']);
    } catch (e) {
      Object.assign(errors, (e as AppError).details);
    }
    return { name, email };
  }

  /**
   * The time zone a new account chose on its form (the page proposes the browser's, else the
   * clinic's); none given keeps the default. A bad one is an error under its field.
   */
  #checkTimeZone(zone: unknown, errors: Record<string, Problem>): { timeZone?: string } {
    if (zone === undefined || zone === '') return {};
    const parsed = timeZoneSchema.safeParse(zone);
    if (!parsed.success) {
      errors.timeZone = issueProblem(parsed.error.issues[0]!);
      return {};
    }
    return { timeZone: parsed.data };
  }

  async #notice(user: User, change: SecurityChange, transaction: Transaction): Promise<void> {
    const ctx = await this.#d.emailContext();
    await this.#d.outbox.enqueue(securityNoticeEmail(ctx, user, change, newId()), transaction);
  }

  /** Emails the person that a way into their account changed (2FA changes happen in TwoFactorService). */
  async notifySecurityChange(user: User, change: SecurityChange): Promise<void> {
    await this.#d.sequelize.transaction((transaction) => this.#notice(user, change, transaction));
  }

  async adminExists(): Promise<boolean> {
    return (await this.#d.users.countWithRole('admin')) > 0;
  }

  /** First run: names the clinic and creates the first admin; refused once any admin exists. */
  async completeSetup(
    input: {
      clinicName?: unknown;
      email?: unknown;
      displayName?: unknown;
      password?: unknown;
      timeZone?: unknown;
      language?: unknown;
    },
    ip: string | null,
  ): Promise<User> {
    const errors: Record<string, Problem> = {};
    const clinicName = z
      .string()
      .trim()
      .min(1)
      .max(120)
      .safeParse(input.clinicName ?? '');
    if (!clinicName.success) errors.clinicName = phrase('errors:field.clinicName', { max: 120 });
    const { name, email } = this.#checkIdentity(input, errors);
    const zone = this.#checkTimeZone(input.timeZone, errors);
    if (Object.keys(errors).length > 0) throw invalid('setup.invalid', errors);
    return this.#d.sequelize.transaction(async (transaction) => {
      if ((await this.#d.users.countWithRole('admin', transaction)) > 0) {
        throw new AppError('setup.already_done', 'not_found');
      }
      const user = await this.#d.accounts.createUser(
        {
          email,
          displayName: name.data!,
          password: input.password as string,
          roles: ['admin'],
          emailVerified: true,
          ...zone,
          ...pageLanguage(input.language),
        },
        null,
        transaction,
      );
      await this.#d.clinic.update({ clinicName: clinicName.data! }, transaction);
      await this.#d.audit.record(
        { actorId: user.id, action: 'setup.completed', targetType: 'user', targetId: user.id, ip },
        transaction,
      );
      return user;
    });
  }

  /**
   * Client self sign-up. When the address is already registered, nothing is created and the person
   * sees the same "check your email" page (the owner gets no mail either); no hint either way.
   */
  async signUp(
    input: {
      email?: unknown;
      displayName?: unknown;
      password?: unknown;
      timeZone?: unknown;
      /** The language the sign-up page was shown in: the new account's pages and emails use it. */
      language?: unknown;
    },
    ip: string | null,
  ): Promise<void> {
    if (!(await this.#d.clinic.get()).selfSignup) throw new AppError('signup.closed', 'not_found');
    const errors: Record<string, Problem> = {};
    const { name, email } = this.#checkIdentity(input, errors);
    const zone = this.#checkTimeZone(input.timeZone, errors);
    if (Object.keys(errors).length > 0) throw invalid('signup.invalid', errors);
    const ctx = await this.#d.emailContext();
    const passwordHash = await hashPassword(input.password as string);
    await this.#d.sequelize.transaction(async (transaction) => {
      if (await this.#d.users.byEmail(email, transaction)) {
        await this.#d.audit.record({ actorId: null, action: 'signup.duplicate_email', ip }, transaction);
        return;
      }
      const user = await this.#d.accounts.createUser(
        {
          email,
          displayName: name.data!,
          roles: ['client'],
          emailVerified: false,
          ...zone,
          ...pageLanguage(input.language),
        },
        null,
        transaction,
      );
      await this.#d.users.setPasswordHash(user.id, passwordHash, this.#d.clock.now(), transaction);
      const { id, token } = await this.#d.tokens.issue(
        user.id,
        'verify_email',
        this.#d.clock.now(),
        transaction,
      );
      // The new account's language is the sign-up page's, so this first email is in it too.
      await this.#d.outbox.enqueue(verificationEmail(ctx, user, token, id), transaction);
    });
  }

  /** Sends a fresh verification link (after a sign-in attempt by an unverified person). */
  async resendVerification(user: User): Promise<void> {
    if (user.emailVerified) return;
    const ctx = await this.#d.emailContext();
    await this.#d.sequelize.transaction(async (transaction) => {
      const { id, token } = await this.#d.tokens.issue(
        user.id,
        'verify_email',
        this.#d.clock.now(),
        transaction,
      );
      await this.#d.outbox.enqueue(verificationEmail(ctx, user, token, id), transaction);
    });
  }

  async verifyEmail(token: string, ip: string | null): Promise<void> {
    await this.#d.sequelize.transaction(async (transaction) => {
      const userId = await this.#d.tokens.consume(token, 'verify_email', this.#d.clock.now(), transaction);
      await this.#d.users.markEmailVerified(userId, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        { actorId: userId, action: 'auth.email_verified', targetType: 'user', targetId: userId, ip },
        transaction,
      );
    });
  }

  /**
   * Asks for a reset email. Only the address's form is checked while the person waits; whether it
   * has an account is found out afterwards (`deferred`), so the answer takes as long either way and
   * tells nobody which addresses are registered. A registered, active address gets a token and an
   * email; every request, for any address, leaves one audit row (the unknown ones without a target).
   */
  async requestPasswordReset(emailInput: unknown, ip: string | null): Promise<void> {
    const email = this.#email(emailInput);
    this.#d.deferred.defer(() => this.#sendResetEmail(email, ip));
  }

  /** Resolves once the reset requests made so far have been handled (tests, shutdown). */
  settled(): Promise<void> {
    return this.#d.deferred.idle();
  }

  async #sendResetEmail(email: string, ip: string | null): Promise<void> {
    const ctx = await this.#d.emailContext();
    await this.#d.sequelize.transaction(async (transaction) => {
      const user = await this.#d.users.byEmail(email, transaction);
      const known = user !== null && user.status === 'active';
      if (known) {
        const { id, token } = await this.#d.tokens.issue(
          user.id,
          'reset_password',
          this.#d.clock.now(),
          transaction,
        );
        await this.#d.outbox.enqueue(resetEmail(ctx, user, token, id), transaction);
      }
      await this.#d.audit.record(
        known
          ? {
              actorId: null,
              action: 'auth.password_reset.requested',
              targetType: 'user',
              targetId: user.id,
              ip,
            }
          : {
              actorId: null,
              action: 'auth.password_reset.unknown_address',
              targetType: 'user',
              targetId: null,
              ip,
            },
        transaction,
      );
    });
  }

  async resetTokenIsLive(token: string): Promise<boolean> {
    return (await this.#d.tokens.peek(token, 'reset_password', this.#d.clock.now())) !== null;
  }

  /** Sets a new password from a reset link, and signs the account out everywhere. */
  async resetPassword(token: string, password: unknown, ip: string | null): Promise<string> {
    const userId = await this.#d.tokens.peek(token, 'reset_password', this.#d.clock.now());
    const user = userId ? await this.#d.users.byId(userId) : null;
    if (!user) {
      throw new AppError('reset_password.invalid_token', 'bad_request', phrase('errors:link.expired'));
    }
    this.#checkPassword(password, 'password', [user.email, user.displayName]);
    const hash = await hashPassword(password as string);
    await this.#d.sequelize.transaction(async (transaction) => {
      const consumedFor = await this.#d.tokens.consume(
        token,
        'reset_password',
        this.#d.clock.now(),
        transaction,
      );
      await this.#d.users.setPasswordHash(consumedFor, hash, this.#d.clock.now(), transaction);
      // Following the emailed link proves the address, as verification would.
      await this.#d.users.markEmailVerified(consumedFor, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        {
          actorId: consumedFor,
          action: 'auth.password_reset.completed',
          targetType: 'user',
          targetId: consumedFor,
          ip,
        },
        transaction,
      );
      await this.#notice(user, 'password_reset', transaction);
    });
    await this.#d.sessions.signOutEverywhere(user.id);
    return user.id;
  }

  /** Needs the current password; ends every other session of the person. */
  async changePassword(
    user: User,
    current: unknown,
    next: unknown,
    currentSessionKey: string,
    ip: string | null,
  ): Promise<void> {
    const hash = await this.#d.users.passwordHashOf(user.id);
    if (typeof current !== 'string' || !hash || !(await verifyPassword(hash, current))) {
      throw invalid('accounts.current_password_wrong', {
        currentPassword: phrase('errors:password.notCurrent'),
      });
    }
    this.#checkPassword(next, 'newPassword', [user.email, user.displayName]);
    const newHash = await hashPassword(next as string);
    await this.#d.sequelize.transaction(async (transaction) => {
      await this.#d.users.setPasswordHash(user.id, newHash, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        { actorId: user.id, action: 'auth.password_changed', targetType: 'user', targetId: user.id, ip },
        transaction,
      );
      await this.#notice(user, 'password_changed', transaction);
    });
    await this.#d.sessions.signOutOthers(user.id, currentSessionKey);
  }

  async updateProfile(user: User, input: ProfileInput | Record<string, unknown>): Promise<User> {
    const parsed = profileSchema.safeParse(input);
    if (!parsed.success) throw invalid('accounts.profile_invalid', issueProblems(parsed.error.issues));
    await this.#d.sequelize.transaction(async (transaction) => {
      await this.#d.users.updateProfile(user.id, parsed.data, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        { actorId: user.id, action: 'user.profile_updated', targetType: 'user', targetId: user.id },
        transaction,
      );
    });
    return (await this.#d.users.byId(user.id))!;
  }

  /**
   * The language switcher, for a signed-in person: their pages and emails use it from now on. Only a
   * language Haven ships; whether the clinic offers it is the caller's check (it knows the settings).
   */
  async setLanguage(user: User, language: unknown): Promise<void> {
    if (!isLanguageCode(language)) {
      throw invalid('accounts.language_invalid', { language: phrase('errors:field.language') });
    }
    if (user.language === language) return;
    await this.#d.sequelize.transaction(async (transaction) => {
      await this.#d.users.setLanguage(user.id, language, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        { actorId: user.id, action: 'user.language_changed', targetType: 'user', targetId: user.id },
        transaction,
      );
    });
  }

  /** Creates the invitee's account (with the invited role, address proven by the link). */
  async acceptInvitation(
    token: string,
    input: { displayName?: unknown; password?: unknown; timeZone?: unknown; language?: unknown },
    ip: string | null,
  ): Promise<User> {
    const invitation = await this.#d.invitations.pendingByToken(token);
    if (!invitation) {
      throw new AppError('invitation.invalid', 'bad_request', phrase('errors:invitation.invalid'));
    }
    const errors: Record<string, Problem> = {};
    const name = nameSchema.safeParse(input.displayName ?? '');
    if (!name.success) errors.displayName = issueProblem(name.error.issues[0]!);
    try {
      this.#checkPassword(input.password, 'password', [invitation.email, name.data ?? '']);
    } catch (e) {
      Object.assign(errors, (e as AppError).details);
    }
    const zone = this.#checkTimeZone(input.timeZone, errors);
    if (Object.keys(errors).length > 0) throw invalid('invitation.form_invalid', errors);
    return this.#d.sequelize.transaction(async (transaction) => {
      const user = await this.#d.accounts.createUser(
        {
          email: invitation.email,
          displayName: name.data!,
          password: input.password as string,
          roles: [invitation.role],
          emailVerified: true,
          ...zone,
          ...pageLanguage(input.language),
        },
        invitation.invitedBy,
        transaction,
      );
      await this.#d.invitations.markAccepted(invitation.id, user.id, transaction);
      await this.#d.audit.record(
        {
          actorId: user.id,
          action: 'invitation.accepted',
          targetType: 'invitation',
          targetId: invitation.id,
          ip,
          details: { role: invitation.role },
        },
        transaction,
      );
      return user;
    });
  }

  /**
   * Changes a person's roles (admin only). A privilege change ends all their sessions, so the next
   * sign-in gets a fresh session id and the new roles (and, for staff, the two-factor requirement).
   */
  async setRoles(actor: Actor, targetId: string, roles: readonly Role[], ip: string | null): Promise<User> {
    const next = [...new Set(roles)].filter((r) => (ROLES as readonly string[]).includes(r));
    if (next.length === 0) throw invalid('accounts.roles_invalid', { roles: phrase('errors:field.roles') });
    if (!canChangeRoles(actor, targetId, next)) throw new AppError('accounts.roles_forbidden', 'forbidden');
    const target = await this.#d.users.byId(targetId);
    if (!target) throw new AppError('accounts.user_not_found', 'not_found');
    await this.#d.sequelize.transaction(async (transaction) => {
      await this.#d.users.replaceRoles(targetId, next, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        {
          actorId: actor.id,
          action: 'user.roles_changed',
          targetType: 'user',
          targetId,
          ip,
          details: { from: target.roles.join(','), to: next.join(',') },
        },
        transaction,
      );
    });
    await this.#d.sessions.signOutEverywhere(targetId);
    return (await this.#d.users.byId(targetId))!;
  }
}
