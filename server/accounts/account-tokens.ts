import { Op, type Transaction } from 'sequelize';
import { AppError, phrase } from '../shared/errors';
import { hashToken, newId, newToken } from '../shared/ids';
import type { AccessModels, TokenPurpose } from './access.model';

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3_600_000,
  reset_password: 30 * 60_000,
};

/**
 * Single-use, expiring tokens sent by email (email verification, password reset). Tokens are
 * 256-bit random; only their SHA-256 (`hashToken`) is stored, so a database copy cannot use them.
 */
export class AccountTokens {
  readonly #models: AccessModels;

  constructor(models: AccessModels) {
    this.#models = models;
  }

  /** Issues a token and retires the user's earlier unused ones for the same purpose. */
  async issue(
    userId: string,
    purpose: TokenPurpose,
    now: Date,
    transaction: Transaction,
  ): Promise<{ id: string; token: string }> {
    await this.#models.tokens.update(
      { used_at: now },
      { where: { user_id: userId, purpose, used_at: null }, transaction },
    );
    const token = newToken();
    const id = newId();
    await this.#models.tokens.create(
      {
        id,
        user_id: userId,
        purpose,
        token_hash: hashToken(token),
        expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
        used_at: null,
        created_at: now,
      },
      { transaction },
    );
    return { id, token };
  }

  /** The user id a live token belongs to, without using it up (to show the reset form). */
  async peek(token: string, purpose: TokenPurpose, now: Date): Promise<string | null> {
    const row = await this.#models.tokens.findOne({
      where: { token_hash: hashToken(token), purpose, used_at: null, expires_at: { [Op.gt]: now } },
    });
    return (row?.get('user_id') as string | undefined) ?? null;
  }

  /** Uses a token up (once, even under a race) and returns its user id; throws when invalid, used or expired. */
  async consume(token: string, purpose: TokenPurpose, now: Date, transaction: Transaction): Promise<string> {
    const row = await this.#models.tokens.findOne({
      where: { token_hash: hashToken(token), purpose },
      transaction,
    });
    const invalid = new AppError(`${purpose}.invalid_token`, 'bad_request', phrase('errors:link.expired'));
    if (!row) throw invalid;
    const plain = row.get({ plain: true });
    if (plain.used_at !== null || new Date(plain.expires_at).getTime() <= now.getTime()) throw invalid;
    const [changed] = await this.#models.tokens.update(
      { used_at: now },
      { where: { id: plain.id, used_at: null }, transaction },
    );
    if (changed !== 1) throw invalid;
    return plain.user_id;
  }
}
