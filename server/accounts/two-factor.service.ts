import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { Op, type Sequelize, type Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import type { FieldCipher } from '../shared/field-encryption';
import { newId } from '../shared/ids';
import type { AccessModels } from './access.model';
import type { Role } from './roles';

/** Roles that may not use Haven without a second factor (issue 3, §6). */
export const TWO_FACTOR_REQUIRED_ROLES: readonly Role[] = ['admin', 'therapist'];

export function twoFactorRequiredFor(roles: readonly Role[]): boolean {
  return roles.some((r) => TWO_FACTOR_REQUIRED_ROLES.includes(r));
}

const PERIOD_S = 30;
const SECRET_CONTEXT = 'user_totp.secret';
const PENDING_CONTEXT = 'session.pending_totp';
export const RECOVERY_CODE_COUNT = 10;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 16 base32 characters (80 bits), shown as four groups of four. */
function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => BASE32[b % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z2-7]/g, '');
}

/** ASVS 2.6.2: codes under 112 bits are stored with a unique random salt and an approved one-way hash. */
function hashRecoveryCode(code: string, salt = randomBytes(16).toString('hex')): string {
  const digest = createHash('sha256')
    .update(`${salt}:${normaliseRecoveryCode(code)}`)
    .digest('hex');
  return `${salt}$${digest}`;
}

function recoveryCodeMatches(stored: string, code: string): boolean {
  const [salt] = stored.split('$');
  if (!salt) return false;
  const candidate = Buffer.from(hashRecoveryCode(code, salt));
  const expected = Buffer.from(stored);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

function totpFor(secretBase32: string, label = 'Haven', issuer = 'Haven'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export type SecondFactorResult = { kind: 'totp' } | { kind: 'recovery_code'; remaining: number };

/**
 * TOTP (RFC 6238) with a one-step window either side, replay protection (a code's time step must be
 * later than the last accepted one), and ten single-use recovery codes. Secrets are encrypted at rest
 * with the field cipher because they must be read back to check a code.
 */
export class TwoFactorService {
  readonly #sequelize: Sequelize;
  readonly #models: AccessModels;
  readonly #cipher: FieldCipher;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;

  constructor(
    sequelize: Sequelize,
    models: AccessModels,
    cipher: FieldCipher,
    audit: AuditTrail,
    clock: Clock,
  ) {
    this.#sequelize = sequelize;
    this.#models = models;
    this.#cipher = cipher;
    this.#audit = audit;
    this.#clock = clock;
  }

  /** A fresh secret (base32, 160 bits) for an enrolment that is not confirmed yet. */
  newSecret(): string {
    return new OTPAuth.Secret({ size: 20 }).base32;
  }

  /** The secret sealed for keeping in the session until the person confirms a code. */
  sealPending(secret: string): string {
    return this.#cipher.encrypt(secret, PENDING_CONTEXT);
  }

  openPending(sealed: string): string {
    return this.#cipher.decrypt(sealed, PENDING_CONTEXT);
  }

  provisioningUri(secret: string, accountLabel: string, issuer: string): string {
    return totpFor(secret, accountLabel, issuer).toString();
  }

  /** The code an authenticator would show now by this server's clock (provisioning tools, tests). */
  currentCode(secret: string): string {
    return TwoFactorService.codeFor(secret, this.#clock.now());
  }

  /** The code an authenticator shows at `at` (tests and the demo seed use it). */
  static codeFor(secret: string, at: Date): string {
    return totpFor(secret).generate({ timestamp: at.getTime() });
  }

  #stepOf(secret: string, code: string): number | null {
    const token = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(token)) return null;
    const now = this.#clock.now().getTime();
    const delta = totpFor(secret).validate({ token, timestamp: now, window: 1 });
    return delta === null ? null : Math.floor(now / 1000 / PERIOD_S) + delta;
  }

  /**
   * Confirms an enrolment (first time or replacing an old authenticator): checks one code from the
   * new secret, stores it and returns ten new recovery codes (shown once; stored hashed).
   */
  async enable(
    userId: string,
    secret: string,
    code: string,
    ip: string | null,
    options: { consumeCode?: boolean } = {},
  ): Promise<string[]> {
    const step = this.#stepOf(secret, code);
    if (step === null) {
      const wrong = phrase('errors:twoFactor.wrongCode');
      throw new AppError('two_factor.wrong_code', 'bad_request', wrong, { code: wrong });
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const now = this.#clock.now();
    await this.#sequelize.transaction(async (transaction) => {
      const replacing = (await this.#models.totp.count({ where: { user_id: userId }, transaction })) > 0;
      await this.#models.totp.destroy({ where: { user_id: userId }, transaction });
      await this.#models.totp.create(
        {
          user_id: userId,
          secret_encrypted: this.#cipher.encrypt(secret, SECRET_CONTEXT),
          enabled_at: now,
          // A provisioning tool (demo seed) checks its own code: it must not use the person's first one up.
          last_used_step: options.consumeCode === false ? null : step,
          created_at: now,
        },
        { transaction },
      );
      await this.#replaceRecoveryCodes(userId, codes, now, transaction);
      await this.#audit.record(
        {
          actorId: userId,
          action: replacing ? 'auth.two_factor.replaced' : 'auth.two_factor.enabled',
          targetType: 'user',
          targetId: userId,
          ip,
        },
        transaction,
      );
    });
    return codes;
  }

  async #replaceRecoveryCodes(
    userId: string,
    codes: string[],
    now: Date,
    transaction: Transaction,
  ): Promise<void> {
    await this.#models.recoveryCodes.destroy({ where: { user_id: userId }, transaction });
    await this.#models.recoveryCodes.bulkCreate(
      codes.map((c) => ({
        id: newId(),
        user_id: userId,
        code_hash: hashRecoveryCode(c),
        used_at: null,
        created_at: now,
      })),
      { transaction },
    );
  }

  async regenerateRecoveryCodes(userId: string, ip: string | null): Promise<string[]> {
    if (!(await this.isEnabled(userId))) throw new AppError('two_factor.not_enabled', 'conflict');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.#sequelize.transaction(async (transaction) => {
      await this.#replaceRecoveryCodes(userId, codes, this.#clock.now(), transaction);
      await this.#audit.record(
        {
          actorId: userId,
          action: 'auth.two_factor.recovery_codes_replaced',
          targetType: 'user',
          targetId: userId,
          ip,
        },
        transaction,
      );
    });
    return codes;
  }

  async disable(userId: string, actorId: string, ip: string | null): Promise<void> {
    await this.#sequelize.transaction(async (transaction) => {
      await this.#models.totp.destroy({ where: { user_id: userId }, transaction });
      await this.#models.recoveryCodes.destroy({ where: { user_id: userId }, transaction });
      await this.#audit.record(
        { actorId, action: 'auth.two_factor.disabled', targetType: 'user', targetId: userId, ip },
        transaction,
      );
    });
  }

  /**
   * An admin removes someone's second factor (lost phone and recovery codes) with a reason, which the
   * audit row keeps. Staff must enrol again at their next sign-in (the enrolment gate sees to it).
   */
  async resetByAdmin(userId: string, adminId: string, reason: string, ip: string | null): Promise<void> {
    await this.#sequelize.transaction(async (transaction) => {
      await this.#models.totp.destroy({ where: { user_id: userId }, transaction });
      await this.#models.recoveryCodes.destroy({ where: { user_id: userId }, transaction });
      await this.#audit.record(
        {
          actorId: adminId,
          action: 'auth.two_factor.reset_by_admin',
          targetType: 'user',
          targetId: userId,
          ip,
          details: { reason },
        },
        transaction,
      );
    });
  }

  async isEnabled(userId: string): Promise<boolean> {
    return (await this.#models.totp.count({ where: { user_id: userId, enabled_at: { [Op.ne]: null } } })) > 0;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    return this.#models.recoveryCodes.count({ where: { user_id: userId, used_at: null } });
  }

  /**
   * Checks a second factor at sign-in: a current TOTP code whose step is later than the last one
   * accepted (so a code seen over someone's shoulder cannot be reused), or an unused recovery code.
   * Returns null when neither fits. Audits success and failure.
   */
  async verify(userId: string, input: string, ip: string | null): Promise<SecondFactorResult | null> {
    const result = await this.#check(userId, input);
    await this.#audit.record({
      actorId: userId,
      action: result ? 'auth.two_factor.succeeded' : 'auth.two_factor.failed',
      targetType: 'user',
      targetId: userId,
      ip,
      ...(result ? { details: { method: result.kind } } : {}),
    });
    return result;
  }

  async #check(userId: string, input: string): Promise<SecondFactorResult | null> {
    const row = await this.#models.totp.findByPk(userId);
    if (!row || row.get('enabled_at') === null) return null;
    const compact = input.replace(/\s+/g, '');
    if (/^\d{6}$/.test(compact)) {
      const secret = this.#cipher.decrypt(row.get('secret_encrypted') as string, SECRET_CONTEXT);
      const step = this.#stepOf(secret, compact);
      if (step === null) return null;
      // Conditional update: of two requests racing with the same code, only one wins.
      const [changed] = await this.#models.totp.update(
        { last_used_step: step },
        {
          where: {
            user_id: userId,
            [Op.or]: [{ last_used_step: null }, { last_used_step: { [Op.lt]: step } }],
          },
        },
      );
      return changed === 1 ? { kind: 'totp' } : null;
    }
    const unused = await this.#models.recoveryCodes.findAll({ where: { user_id: userId, used_at: null } });
    const match = unused.find((r) => recoveryCodeMatches(r.get('code_hash') as string, compact));
    if (!match) return null;
    const [changed] = await this.#models.recoveryCodes.update(
      { used_at: this.#clock.now() },
      { where: { id: match.get('id') as string, used_at: null } },
    );
    if (changed !== 1) return null;
    return { kind: 'recovery_code', remaining: unused.length - 1 };
  }
}
