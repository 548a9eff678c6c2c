import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { MailWords, Outbox } from '../mail';
import type { Clock } from '../shared/clock';
import type { DeferredWork } from '../shared/deferred-work';
import type { FieldCipher } from '../shared/field-encryption';
import type { EmailContext } from './account-emails';
import { AccountErasure } from './account-erasure';
import { AccountLifecycle } from './account-lifecycle.service';
import { AccountTokens } from './account-tokens';
import { defineAccessModels } from './access.model';
import { AccountsService } from './accounts.service';
import { ClinicSettingsService } from './clinic-settings.service';
import { InvitationsService } from './invitations.service';
import { SessionEvents } from './session-events';
import { SessionRepository } from './session.repository';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { TwoFactorService } from './two-factor.service';
import { defineAccountModels } from './user.model';
import { UserRepository } from './user.repository';

export { AccountsService, type AccountsParts } from './accounts.service';
export { AccountErasure, ERASED_DISPLAY_NAME } from './account-erasure';
export { ROLES, isRole, type Role } from './roles';
export type { User, ProfileChanges, UserSearch } from './user.repository';
export { hashPassword, verifyPassword } from './password-hashing';
export { passwordProblem, isCommonPassword, warmPasswordList, PASSWORD_MAX_LENGTH } from './password-policy';
export { TwoFactorService, twoFactorRequiredFor, TWO_FACTOR_REQUIRED_ROLES } from './two-factor.service';
export { SessionEvents, type SessionEventMap } from './session-events';
export {
  sessionKeyOf,
  sessionKeySchema,
  type SessionRepository,
  type SessionSummary,
  type StoredSession,
} from './session.repository';
export type { SessionsService } from './sessions.service';
export type { SignInResult } from './sign-in.service';
export type { Invitation } from './invitations.service';
export type { ClinicSettings } from './clinic-settings.service';
export { TIME_ZONES, LANGUAGES, emailSchema } from './accounts.schemas';
export type { SecurityChange } from './account-emails';
export * as accountsPolicy from './accounts.policy';
export type { Actor } from './accounts.policy';

export interface AccountsDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly cipher: FieldCipher;
  readonly outbox: Outbox;
  readonly publicUrl: string;
  /** Shown in emails until setup names the clinic. */
  readonly defaultClinicName: string;
  readonly passwordMinLength: number;
  /** Where work that must not delay an answer runs (password-reset requests). */
  readonly deferred: DeferredWork;
  /** The words of account emails, per recipient language. */
  readonly words: MailWords;
}

export function createAccounts(deps: AccountsDeps): AccountsService {
  const { sequelize, audit, clock } = deps;
  const access = defineAccessModels(sequelize);
  const accountModels = defineAccountModels(sequelize);
  const users = new UserRepository(accountModels, access);
  const accounts = new AccountsService(sequelize, users, audit, clock);
  const clinic = new ClinicSettingsService(access, clock);
  const emailContext = async (): Promise<EmailContext> => ({
    publicUrl: deps.publicUrl,
    clinicName: (await clinic.get()).clinicName ?? deps.defaultClinicName,
    words: deps.words,
  });
  const sessions = new SessionsService(new SessionRepository(access), new SessionEvents(), clock);
  const invitations = new InvitationsService({
    sequelize,
    models: access,
    users,
    audit,
    outbox: deps.outbox,
    clock,
    emailContext,
  });
  accounts.attach({
    signIn: new SignInService(users, audit),
    twoFactor: new TwoFactorService(sequelize, access, deps.cipher, audit, clock),
    lifecycle: new AccountLifecycle({
      sequelize,
      users,
      accounts,
      tokens: new AccountTokens(access),
      invitations,
      clinic,
      sessions,
      audit,
      outbox: deps.outbox,
      clock,
      passwordMinLength: deps.passwordMinLength,
      emailContext,
      deferred: deps.deferred,
    }),
    invitations,
    clinic,
    sessions,
    erasure: new AccountErasure(accountModels, access, sessions),
  });
  return accounts;
}
