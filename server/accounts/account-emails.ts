import type { OutgoingEmail } from '../mail';

/** The emails accounts sends. They carry a link and nothing about anyone's health or sessions. */
export interface EmailContext {
  readonly publicUrl: string;
  readonly clinicName: string;
}

export function verificationEmail(
  ctx: EmailContext,
  to: string,
  token: string,
  tokenId: string,
): OutgoingEmail {
  const link = `${ctx.publicUrl}/verify-email/${encodeURIComponent(token)}`;
  return {
    to,
    subject: `Confirm your email address for ${ctx.clinicName}`,
    text: [
      `Hello,`,
      ``,
      `Someone (hopefully you) created an account at ${ctx.clinicName} with this address.`,
      `To confirm it, open this link within 48 hours:`,
      ``,
      link,
      ``,
      `If this was not you, ignore this email and no account will be usable.`,
    ].join('\n'),
    idempotencyKey: `accounts:verify:${tokenId}`,
  };
}

export function resetEmail(ctx: EmailContext, to: string, token: string, tokenId: string): OutgoingEmail {
  const link = `${ctx.publicUrl}/reset-password/${encodeURIComponent(token)}`;
  return {
    to,
    subject: `Reset your ${ctx.clinicName} password`,
    text: [
      `Hello,`,
      ``,
      `A password reset was requested for your ${ctx.clinicName} account.`,
      `To choose a new password, open this link within 30 minutes (it works once):`,
      ``,
      link,
      ``,
      `If you did not ask for this, ignore this email: your password stays as it is.`,
    ].join('\n'),
    idempotencyKey: `accounts:reset:${tokenId}`,
  };
}

export function invitationEmail(
  ctx: EmailContext,
  to: string,
  token: string,
  invitationId: string,
  inviterName: string,
  roleLabel: string,
): OutgoingEmail {
  const link = `${ctx.publicUrl}/invite/${encodeURIComponent(token)}`;
  return {
    to,
    subject: `You are invited to ${ctx.clinicName}`,
    text: [
      `Hello,`,
      ``,
      `${inviterName} invited you to join ${ctx.clinicName} as ${roleLabel}.`,
      `To accept, open this link within 7 days and choose a password:`,
      ``,
      link,
      ``,
      `If you were not expecting this, you can ignore this email.`,
    ].join('\n'),
    idempotencyKey: `accounts:invitation:${invitationId}`,
  };
}

export const ROLE_LABELS: Record<string, string> = {
  admin: 'an administrator',
  therapist: 'a therapist',
  peer_supporter: 'a peer supporter',
  client: 'a client',
};

export type SecurityChange =
  | 'password_changed'
  | 'password_reset'
  | 'two_factor_enabled'
  | 'two_factor_replaced'
  | 'two_factor_disabled'
  | 'recovery_codes_replaced';

const CHANGE_TEXT: Record<SecurityChange, string> = {
  password_changed: 'The password of your account was changed.',
  password_reset: 'The password of your account was reset with an emailed link.',
  two_factor_enabled: 'Two-factor sign-in was turned on for your account.',
  two_factor_replaced: 'The authenticator app for your account was replaced.',
  two_factor_disabled: 'Two-factor sign-in was turned off for your account.',
  recovery_codes_replaced: 'New recovery codes were made for your account; the old ones no longer work.',
};

/** ASVS 2.2.3 / 2.5.x: tell the person whenever a way into their account changes. */
export function securityNoticeEmail(
  ctx: EmailContext,
  to: string,
  change: SecurityChange,
  eventId: string,
): OutgoingEmail {
  return {
    to,
    subject: `Security notice from ${ctx.clinicName}`,
    text: [
      `Hello,`,
      ``,
      CHANGE_TEXT[change],
      ``,
      `If this was you, there is nothing to do.`,
      `If it was not, reset your password now at ${ctx.publicUrl}/forgot-password and tell the clinic.`,
    ].join('\n'),
    idempotencyKey: `accounts:notice:${change}:${eventId}`,
  };
}
