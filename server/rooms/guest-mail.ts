import type { MailWords, OutgoingEmail } from '../mail';
import { formatDateTime, formatTime, zoneLabel } from '../scheduling';
import { localeForLanguage } from '../shared/date-time-format';
import type { EntryWindow } from './rooms.policy';
import type { GuestRole } from './rooms.types';

/** The clinic's languages, read per invitation (the admin console may change them while Haven runs). */
export interface ClinicLanguages {
  offered(): readonly string[];
  clinicDefault(): string;
}

/** Where the guest's link points, whose zone its times are written in, and in which words. */
export interface GuestMailSettings {
  readonly publicUrl: string;
  readonly clinicName: string;
  /** The inviting therapist's time zone (a guest has no account, so no zone of their own). */
  readonly timeZoneOf: (userId: string) => Promise<string>;
  /** The email's words in the guest's language (the composition root's mailWordsOf). */
  readonly words: MailWords;
  /** A guest reads a language the clinic offers; the clinic's default when the therapist names none. */
  readonly languages: ClinicLanguages;
}

/**
 * The invitation a guest receives, in the language they read: who invites them, in what role, when
 * (the inviter's zone, in the guest's language's format), and a link per session that works once,
 * from the room's opening to its grace end. Never the client's name or anything about the therapy —
 * an inbox is not a safe place for it.
 */
export async function guestInvitationEmail(
  settings: GuestMailSettings,
  input: {
    readonly to: string;
    readonly language: string;
    readonly role: GuestRole;
    readonly inviterId: string;
    readonly inviterName: string;
    readonly idempotencyKey: string;
    readonly sessions: ReadonlyArray<{ window: EntryWindow; startsAt: Date; token: string }>;
  },
): Promise<OutgoingEmail> {
  const zone = await settings.timeZoneOf(input.inviterId);
  const t = settings.words(input.language);
  const locale = localeForLanguage(input.language);
  const clinic = settings.clinicName;
  const lines = input.sessions.flatMap((s) => [
    t('email:guest.when', {
      when: formatDateTime(s.startsAt, zone, locale),
      zone: zoneLabel(zone, s.startsAt),
    }),
    `  ${t('email:guest.link', {
      opens: formatTime(s.window.opensAt, zone, locale),
      closes: formatDateTime(s.window.closesAt, zone, locale),
    })}`,
    `  ${settings.publicUrl}/guest/${s.token}`,
    '',
  ]);
  return {
    to: input.to,
    language: input.language,
    subject: t('email:guest.subject', { clinic }),
    text: [
      t('email:guest.invites', {
        count: input.sessions.length,
        inviter: input.inviterName,
        clinic,
        // The role as the guests page names it (guests:roles.*), in the guest's language.
        role: t(`guests:roles.${input.role}`),
      }),
      '',
      ...lines,
      t('email:guest.howTo'),
      t('email:guest.doNotForward'),
      '',
      `— ${clinic}`,
    ].join('\n'),
    idempotencyKey: input.idempotencyKey,
  };
}
