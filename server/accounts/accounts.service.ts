import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, issueProblem, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import { newUserSchema, type NewUserInput } from './accounts.schemas';
import { hashPassword } from './password-hashing';
import type { User, UserRepository, UserSearch } from './user.repository';
import type { AccountErasure } from './account-erasure';
import type { AccountLifecycle } from './account-lifecycle.service';
import type { ClinicSettingsService } from './clinic-settings.service';
import type { InvitationsService } from './invitations.service';
import type { SessionsService } from './sessions.service';
import type { SignInService } from './sign-in.service';
import type { TwoFactorService } from './two-factor.service';

/** The parts of accounts beyond creating and finding people, built in `createAccounts`. */
export interface AccountsParts {
  readonly signIn: SignInService;
  readonly twoFactor: TwoFactorService;
  readonly lifecycle: AccountLifecycle;
  readonly invitations: InvitationsService;
  readonly clinic: ClinicSettingsService;
  readonly sessions: SessionsService;
  /** Closing an account for good after an approved erasure request (data rights). */
  readonly erasure: AccountErasure;
}

export class AccountsService {
  readonly #sequelize: Sequelize;
  #parts: AccountsParts | null = null;
  readonly #users: UserRepository;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;

  constructor(sequelize: Sequelize, users: UserRepository, audit: AuditTrail, clock: Clock) {
    this.#sequelize = sequelize;
    this.#users = users;
    this.#audit = audit;
    this.#clock = clock;
  }

  /** Called once by `createAccounts` (the parts need this service, so they arrive after it). */
  attach(parts: AccountsParts): void {
    if (this.#parts) throw new Error('accounts parts already attached');
    this.#parts = parts;
  }

  #part<K extends keyof AccountsParts>(key: K): AccountsParts[K] {
    if (!this.#parts) throw new Error('accounts used before createAccounts finished');
    return this.#parts[key];
  }

  /** Password check and sign-in audit. */
  get signIn(): SignInService {
    return this.#part('signIn');
  }

  get twoFactor(): TwoFactorService {
    return this.#part('twoFactor');
  }

  /** Setup, sign-up, verification, reset, password change, profile, invitations accepted, role changes. */
  get lifecycle(): AccountLifecycle {
    return this.#part('lifecycle');
  }

  get invitations(): InvitationsService {
    return this.#part('invitations');
  }

  get clinic(): ClinicSettingsService {
    return this.#part('clinic');
  }

  /** Active sessions, sign-out elsewhere; `sessions.events` tells the realtime layer who signed out. */
  get sessions(): SessionsService {
    return this.#part('sessions');
  }

  get erasure(): AccountErasure {
    return this.#part('erasure');
  }

  /** Creates a person with roles; the creation is audited in the same transaction. */
  async createUser(input: NewUserInput, actorId: string | null, outer?: Transaction): Promise<User> {
    const parsed = newUserSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('accounts.invalid_user', 'bad_request', issue ? issueProblem(issue) : undefined);
    }
    const data = parsed.data;
    const passwordHash = data.password ? await hashPassword(data.password) : null;
    const work = async (transaction: Transaction): Promise<User> => {
      if (await this.#users.byEmail(data.email, transaction)) {
        throw new AppError('accounts.email_taken', 'conflict', phrase('errors:accounts.emailTaken'));
      }
      const id = newId();
      await this.#users.insert(
        {
          id,
          email: data.email,
          displayName: data.displayName,
          passwordHash,
          roles: data.roles,
          isDemo: data.isDemo,
          emailVerified: data.emailVerified,
          ...(data.timeZone ? { timeZone: data.timeZone } : {}),
          ...(data.language ? { language: data.language } : {}),
          now: this.#clock.now(),
        },
        transaction,
      );
      await this.#audit.record(
        {
          actorId,
          action: 'user.created',
          targetType: 'user',
          targetId: id,
          details: { roles: data.roles.join(',') },
        },
        transaction,
      );
      const user = await this.#users.byId(id, transaction);
      if (!user) throw new Error('user vanished inside its own transaction');
      return user;
    };
    return outer ? work(outer) : this.#sequelize.transaction(work);
  }

  byId(id: string): Promise<User | null> {
    return this.#users.byId(id);
  }

  /** See {@link UserRepository.rememberForRequest}: the signed-in person the session read brought. */
  rememberForRequest(user: User): void {
    this.#users.rememberForRequest(user);
  }

  countUsers(): Promise<number> {
    return this.#users.countAll();
  }

  countRealUsers(): Promise<number> {
    return this.#users.countNonDemo();
  }

  list(): Promise<User[]> {
    return this.#users.list();
  }

  /** A page of people matching the filter, for the admin console's people list. */
  search(filter: UserSearch): Promise<{ users: User[]; total: number }> {
    return this.#users.search(filter);
  }

  /**
   * Deactivates or reactivates an account (the admin console audits and decides who may). A
   * deactivated person cannot sign in and any session they still hold finds no user; records stay.
   */
  setStatus(id: string, status: User['status'], transaction?: Transaction): Promise<boolean> {
    return this.#users.setStatus(id, status, this.#clock.now(), transaction);
  }
}
