import type { OutgoingEmail } from '../mail';
import { formatDateTime, formatTime, zoneLabel } from '../scheduling';
import { GUEST_ROLE_WORDS } from '../shared/guest-roles';
import type { EntryWindow } from './rooms.policy';
import type { GuestRole } from './rooms.types';

/** Where the guest's link points and whose zone its times are written in. */
export interface GuestMailSettings {
  readonly publicUrl: string;
  readonly clinicName: string;
  /** The inviting therapist's time zone (a guest has no account, so no zone of their own). */
  readonly timeZoneOf: (userId: string) => Promise<string>;
}

/**
 * The invitation a guest receives: who invites them, in what role, when, and a link per session
 * that works once, from the room's opening to its grace end. Never the client's name or anything
 * about the therapy — an inbox is not a safe place for it.
 */
export async function guestInvitationEmail(
  settings: GuestMailSettings,
  input: {
    readonly to: string;
    readonly role: GuestRole;
    readonly inviterId: string;
    readonly inviterName: string;
    readonly idempotencyKey: string;
    readonly sessions: ReadonlyArray<{ window: EntryWindow; startsAt: Date; token: string }>;
  },
): Promise<OutgoingEmail> {
  const zone = await settings.timeZoneOf(input.inviterId);
  const lines = input.sessions.flatMap((s) => [
    `${formatDateTime(s.startsAt, zone)} (${zoneLabel(zone, s.startsAt)})`,
    `  Your link (works once, from ${formatTime(s.window.opensAt, zone)} until ${formatDateTime(s.window.closesAt, zone)}):`,
    `  ${settings.publicUrl}/guest/${s.token}`,
    '',
  ]);
  const several = input.sessions.length > 1;
  return {
    to: input.to,
    subject: `You are invited to an online session – ${settings.clinicName}`,
    text: [
      `${input.inviterName} invites you to join ${several ? 'online sessions' : 'an online session'} at ${settings.clinicName} as ${GUEST_ROLE_WORDS[input.role]}.`,
      '',
      ...lines,
      'You do not need an account. Open the link a few minutes before the start, on a device with a camera and microphone; you wait until the therapist lets you in.',
      'Each link works once and only for you: please do not forward it.',
      '',
      `— ${settings.clinicName}`,
    ].join('\n'),
    idempotencyKey: input.idempotencyKey,
  };
}
