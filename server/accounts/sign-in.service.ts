import type { AuditTrail } from '../audit';
import { emailSchema } from './accounts.schemas';
import { hashPassword, verifyPassword } from './password-hashing';
import type { User, UserRepository } from './user.repository';

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'unverified'; readonly user: User };

/**
 * Checks an email and password. Unknown address, wrong password and deactivated account give the
 * same answer after the same work (an argon2 verification against a fixed dummy hash), so neither
 * the message nor the timing says whether an address is registered (ASVS 2.2.1, 3.x; 800-63B).
 */
export class SignInService {
  readonly #users: UserRepository;
  readonly #audit: AuditTrail;
  #dummyHash: Promise<string> | null = null;

  constructor(users: UserRepository, audit: AuditTrail) {
    this.#users = users;
    this.#audit = audit;
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword('haven-timing-equaliser-not-a-real-password');
    return this.#dummyHash;
  }

  async checkPassword(emailInput: string, password: string, ip: string | null): Promise<SignInResult> {
    const parsed = emailSchema.safeParse(emailInput);
    const user = parsed.success ? await this.#users.byEmail(parsed.data) : null;
    const hash = user ? await this.#users.passwordHashOf(user.id) : null;
    const matches = await verifyPassword(hash ?? (await this.#dummy()), password);
    const ok = !!user && !!hash && matches && user.status === 'active';
    if (!ok) {
      await this.#audit.record({
        actorId: user?.id ?? null,
        action: 'auth.sign_in.failed',
        targetType: 'user',
        targetId: user?.id ?? null,
        ip,
        details: { step: 'password' },
      });
      return { ok: false, reason: 'invalid' };
    }
    if (!user.emailVerified) return { ok: false, reason: 'unverified', user };
    return { ok: true, user };
  }

  /** Recorded once the whole sign-in (password and, if enrolled, second factor) has succeeded. */
  async recordSuccess(user: User, ip: string | null, method: string): Promise<void> {
    await this.#audit.record({
      actorId: user.id,
      action: 'auth.sign_in.succeeded',
      targetType: 'user',
      targetId: user.id,
      ip,
      details: { method },
    });
  }

  async recordSignOut(userId: string, ip: string | null, scope: 'this' | 'everywhere'): Promise<void> {
    await this.#audit.record({
      actorId: userId,
      action: 'auth.sign_out',
      targetType: 'user',
      targetId: userId,
      ip,
      details: { scope },
    });
  }

  /** Re-authentication before a sensitive change (2FA replacement, recovery codes). */
  async passwordMatches(userId: string, password: string): Promise<boolean> {
    const hash = await this.#users.passwordHashOf(userId);
    return !!hash && (await verifyPassword(hash, password));
  }
}
