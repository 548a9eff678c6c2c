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
