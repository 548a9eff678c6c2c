import type { Transaction } from 'sequelize';
import type { AccessModels } from './access.model';
import type { SessionsService } from './sessions.service';
import type { AccountModels } from './user.model';

/** What a tombstone account is called once its person has been erased. */
export const ERASED_DISPLAY_NAME = 'Former client';

/**
 * Closes an account for good after an approved erasure request (data rights, issue 9). The user
 * row stays as a pseudonymous tombstone (id and roles only: name, email and credentials are gone),
 * because the restricted clinical record, appointments and the audit trail refer to that id until
 * the retention purge. The email becomes `erased-<id>@erased.invalid` (RFC 2606: never deliverable),
 * which also frees the real address for a future sign-up.
 */
export class AccountErasure {
  readonly #models: AccountModels;
  readonly #access: AccessModels;
  readonly #sessions: SessionsService;

  constructor(models: AccountModels, access: AccessModels, sessions: SessionsService) {
    this.#models = models;
    this.#access = access;
    this.#sessions = sessions;
  }

  /** Inside the caller's transaction: pseudonymise, deactivate, remove every credential. */
  async erase(userId: string, now: Date, tx: Transaction): Promise<void> {
    await this.#models.users.update(
      {
        email: `erased-${userId}@erased.invalid`,
        display_name: ERASED_DISPLAY_NAME,
        full_name: null,
        password_hash: null,
        status: 'deactivated',
        time_zone: 'UTC',
        language: 'en',
        updated_at: now,
      },
      { where: { id: userId }, transaction: tx },
    );
    const where = { user_id: userId };
    await this.#access.totp.destroy({ where, transaction: tx });
    await this.#access.recoveryCodes.destroy({ where, transaction: tx });
    await this.#access.tokens.destroy({ where, transaction: tx });
  }

  /** After commit: every session of the account ends (and live sockets with it). */
  async signOutEverywhere(userId: string): Promise<void> {
    await this.#sessions.signOutEverywhere(userId);
  }
}
