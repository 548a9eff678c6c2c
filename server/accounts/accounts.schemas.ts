import { LANGUAGE_CODES, type LanguageCode } from '../i18n';
import { z } from 'zod';
import { ROLES } from './roles';

/** Addresses are compared lower-cased and trimmed, so "Ana@Example.org " is the same person as "ana@example.org". */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'errors:field.email' }).max(320, 'errors:field.atMost'));

export const newUserSchema = z.object({
  email: emailSchema,
  displayName: z.string().trim().min(1, 'errors:field.name').max(120, 'errors:field.atMost'),
  password: z.string().min(8).max(128).optional(),
  roles: z.array(z.enum(ROLES)).min(1),
  isDemo: z.boolean().default(false),
  /** People created by an admin, the CLI or an invitation have a known address; self sign-up does not. */
  emailVerified: z.boolean().default(true),
  /** Chosen on the sign-up, invitation or setup form; absent (CLI, demo): UTC until they choose. */
  timeZone: z.string().optional(),
  /** The language of the page the account was made on (the switcher, Accept-Language or the clinic's). */
  language: z.enum(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]]).optional(),
});

/**
 * ICU (and so Node's `Intl.supportedValuesOf`) still lists some zones under their pre-rename IANA
 * names; people look for the current ones (India is Asia/Kolkata, Ukraine's capital Europe/Kyiv).
 */
const CURRENT_ZONE_NAMES: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** IANA time zones for the profile form, under their current names. */
export const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone')
  .map((zone) => CURRENT_ZONE_NAMES[zone] ?? zone)
  .sort();

/** Any zone name the runtime can convert times for, old spellings and aliases included. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
/** A person's time zone as a form sends it: UTC or a zone the runtime knows. */
export const timeZoneSchema = z
  .string()
  .refine((v) => v === 'UTC' || isKnownTimeZone(v), 'errors:field.timeZone');

/** The languages Haven ships (server/i18n): what a profile may choose. */
export { LANGUAGES } from '../i18n';

/** Only these fields can change through the profile form; anything else posted is ignored. */
export const profileSchema = z.object({
  displayName: z.string().trim().min(1, 'errors:field.nameOthersSee').max(120, 'errors:field.atMost'),
  fullName: z
    .string()
    .trim()
    .max(200, 'errors:field.atMost')
    .transform((v) => (v === '' ? null : v)),
  timeZone: timeZoneSchema,
  language: z.enum(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], { message: 'errors:field.language' }),
});
export type ProfileInput = z.input<typeof profileSchema>;

export type NewUserInput = z.input<typeof newUserSchema>;
