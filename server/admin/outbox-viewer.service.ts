import type { AuditTrail } from '../audit';
import type { MailWords, Outbox, OutboxStatus, TestMessage } from '../mail';
import { AppError, phrase } from '../shared/errors';
import { isAdmin, type AdminActor } from './admin.policy';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['queued', 'sending', 'sent', 'failed'];
const SHOWN = 100;

export interface OutboxRowView {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly nextAttemptAt: Date;
}

/**
 * The outbox as the admin sees it: recipients, subjects and delivery state (never bodies, though they
 * hold no health information either: links and "you have a new message"), and retry for failures.
 */
export class OutboxViewerService {
  readonly #outbox: Outbox;
  readonly #audit: AuditTrail;
  readonly #configured: () => boolean;
  readonly #sendNow: (message: TestMessage) => Promise<void>;
  readonly #words: MailWords;

  constructor(deps: {
    outbox: Outbox;
    audit: AuditTrail;
    configured: () => boolean;
    sendNow: (message: TestMessage) => Promise<void>;
    /** The test email's words, in the admin's language. */
    words: MailWords;
  }) {
    this.#outbox = deps.outbox;
    this.#audit = deps.audit;
    this.#configured = deps.configured;
    this.#sendNow = deps.sendNow;
    this.#words = deps.words;
  }

  async list(actor: AdminActor, statusInput: unknown) {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    const status = OUTBOX_STATUSES.find((s) => s === statusInput) ?? null;
    const messages = await this.#outbox.list({ ...(status ? { status } : {}), limit: SHOWN });
    const rows: OutboxRowView[] = messages.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      status: m.status,
      attempts: m.attempts,
      lastError: m.lastError,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
      nextAttemptAt: m.nextAttemptAt,
    }));
    return {
      rows,
      status,
      counts: await this.#outbox.counts(),
      configured: this.#configured(),
      shown: SHOWN,
    };
  }

  /** Puts a failed email back in the queue; the sender tries it on its next pass. */
  async retry(actor: AdminActor, id: string): Promise<void> {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    if (!(await this.#outbox.retry(id))) {
      throw new AppError('admin.outbox_not_failed', 'not_found', phrase('admin:problem.notAFailedEmail'));
    }
    await this.#audit.record({
      actorId: actor.id,
      action: 'outbox.retried',
      targetType: 'outbox',
      targetId: id,
      ip: actor.ip ?? null,
    });
  }

  /**
   * Sends a test email straight away (not through the outbox) so the admin sees the result at once;
   * in `language`, the admin's own, like every other email to them.
   */
  async sendTest(
    actor: AdminActor & { email: string },
    clinicName: string,
    language: string,
  ): Promise<{ ok: boolean; error: string | null }> {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    const t = this.#words(language);
    let error: string | null = null;
    try {
      await this.#sendNow({
        to: actor.email,
        subject: t('email:test.subject', { clinic: clinicName }),
        text: [t('email:test.body', { clinic: clinicName }), '', t('email:test.works')].join('\n'),
        language,
      });
    } catch (e) {
      // Server replies may quote the address; keep the reason short and never log it with a body.
      error = (e instanceof Error ? e.message : String(e)).slice(0, 300);
    }
    await this.#audit.record({
      actorId: actor.id,
      action: 'clinic_settings.smtp_tested',
      ip: actor.ip ?? null,
      details: { ok: error === null },
    });
    return { ok: error === null, error };
  }
}
