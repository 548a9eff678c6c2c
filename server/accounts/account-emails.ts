import type { MailWords, OutgoingEmail, Translate } from '../mail';
import type { Role } from './roles';

/**
 * The emails accounts sends, each in its recipient's language (the `email` feature file's
 * `account.*` words). They carry a link and nothing about anyone's health or sessions.
 */
export interface EmailContext {
  readonly publicUrl: string;
  readonly clinicName: string;
  /** The words of every email, per recipient language (the translator the pages use). */
  readonly words: MailWords;
}

/** Who an email is for and the language it is written in (their profile's, or their page's). */
export interface Recipient {
  readonly email: string;
  readonly language: string;
}

/** Greeting, the lines, the link on its own line, the closing line: how every account email reads. */
function letter(t: Translate, lines: readonly string[], link: string | null, closing: string): string {
  return [t('email:account.hello'), '', ...lines, ...(link ? ['', link] : []), '', closing].join('\n');
}

function compose(
  ctx: EmailContext,
  to: Recipient,
  write: (t: Translate, clinic: string) => { subject: string; text: string },
  idempotencyKey: string,
): OutgoingEmail {
  const { subject, text } = write(ctx.words(to.language), ctx.clinicName);
  return { to: to.email, subject, text, language: to.language, idempotencyKey };
}

export function verificationEmail(
  ctx: EmailContext,
  to: Recipient,
  token: string,
  tokenId: string,
): OutgoingEmail {
  const link = `${ctx.publicUrl}/verify-email/${encodeURIComponent(token)}`;
  return compose(
    ctx,
    to,
    (t, clinic) => ({
      subject: t('email:account.verify.subject', { clinic }),
      text: letter(
        t,
        [t('email:account.verify.created', { clinic }), t('email:account.verify.open')],
        link,
        t('email:account.verify.notYou'),
      ),
    }),
    `accounts:verify:${tokenId}`,
  );
}

export function resetEmail(ctx: EmailContext, to: Recipient, token: string, tokenId: string): OutgoingEmail {
  const link = `${ctx.publicUrl}/reset-password/${encodeURIComponent(token)}`;
  return compose(
    ctx,
    to,
    (t, clinic) => ({
      subject: t('email:account.reset.subject', { clinic }),
      text: letter(
        t,
        [t('email:account.reset.requested', { clinic }), t('email:account.reset.open')],
        link,
        t('email:account.reset.notYou'),
      ),
    }),
    `accounts:reset:${tokenId}`,
  );
}

/**
 * An invitation. The invitee has no profile yet, so it is written in the language the caller
 * chose for them (the clinic's default); accepting it on a page in another language gives the new
 * account that page's language.
 */
export function invitationEmail(
  ctx: EmailContext,
  to: Recipient,
  token: string,
  invitationId: string,
  inviterName: string,
  role: Role,
): OutgoingEmail {
  const link = `${ctx.publicUrl}/invite/${encodeURIComponent(token)}`;
  return compose(
    ctx,
    to,
    (t, clinic) => ({
      subject: t('email:account.invitation.subject', { clinic }),
      text: letter(
        t,
        [
          t('email:account.invitation.invited', {
            inviter: inviterName,
            clinic,
            role: t(`email:account.invitation.role.${role}`),
          }),
          t('email:account.invitation.open'),
        ],
        link,
        t('email:account.invitation.notExpected'),
      ),
    }),
    `accounts:invitation:${invitationId}`,
  );
}

export type SecurityChange =
  | 'password_changed'
  | 'password_reset'
  | 'two_factor_enabled'
  | 'two_factor_replaced'
  | 'two_factor_disabled'
  | 'recovery_codes_replaced';

/** ASVS 2.2.3 / 2.5.x: tell the person whenever a way into their account changes. */
export function securityNoticeEmail(
  ctx: EmailContext,
  to: Recipient,
  change: SecurityChange,
  eventId: string,
): OutgoingEmail {
  return compose(
    ctx,
    to,
    (t, clinic) => ({
      subject: t('email:account.notice.subject', { clinic }),
      text: letter(
        t,
        [t(`email:account.notice.change.${change}`), '', t('email:account.notice.ifYou')],
        null,
        t('email:account.notice.ifNot', { url: `${ctx.publicUrl}/forgot-password` }),
      ),
    }),
    `accounts:notice:${change}:${eventId}`,
  );
}
