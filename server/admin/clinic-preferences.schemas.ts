import { z } from 'zod';
import { LANGUAGES } from '../accounts';
import { isValidTimeZone } from '../scheduling';
import { MIN_TEXT_CONTRAST, contrastRatio, formatRatio, normaliseHex } from './contrast';

/** The colours a clinic may set. Each pair below is checked for readable contrast. */
export interface BrandColours {
  /** Buttons and links. */
  readonly primary: string;
  /** Text on a primary-coloured button. */
  readonly primaryText: string;
  /** Page background. */
  readonly background: string;
  /** Body text. */
  readonly text: string;
}

/** Haven's own teal (public/css/haven.css) on Pico's light theme. */
export const DEFAULT_COLOURS: BrandColours = {
  primary: '#2f6f6a',
  primaryText: '#ffffff',
  background: '#ffffff',
  text: '#373c44',
};

/** The pairs that must stay readable: [foreground, background, what the admin sees it called]. */
export const CONTRAST_PAIRS: ReadonlyArray<readonly [keyof BrandColours, keyof BrandColours, string]> = [
  ['text', 'background', 'Body text on the page background'],
  ['primaryText', 'primary', 'Button text on the primary colour'],
  ['primary', 'background', 'Links (primary colour) on the page background'],
];

export const COLOUR_LABELS: Record<keyof BrandColours, string> = {
  primary: 'Primary colour (buttons, links)',
  primaryText: 'Text on buttons',
  background: 'Page background',
  text: 'Body text',
};

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

/** SMTP server for outgoing mail, set in the console (overrides SMTP_URL). The password is kept apart, encrypted. */
export interface SmtpPreferences {
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  readonly username: string | null;
}

/** What is stored in `clinic_preferences.data`. `null` means "use the server's setting". */
export interface ClinicPreferences {
  readonly timeZone: string;
  /** Codes from LANGUAGES the clinic offers: the switcher, profiles and Accept-Language choose among them. */
  readonly languages: readonly string[];
  /** The language of a page when neither the person nor their browser names an offered one. */
  readonly defaultLanguage: string;
  readonly crisisResources: string | null;
  /**
   * Crisis resources written for readers of other languages, by language code (issue 20). A language
   * without one shows `crisisResources` (the clinic's default-language text).
   */
  readonly crisisResourcesByLanguage: Readonly<Record<string, string>>;
  readonly cancellationPolicy: string;
  readonly messagingExpectations: string | null;
  readonly directoryPublic: boolean | null;
  readonly sessionIdleMinutes: number | null;
  readonly sessionAbsoluteHours: number | null;
  readonly colours: BrandColours | null;
  readonly smtp: SmtpPreferences | null;
}

export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as string[];

const colour = z.string().transform((v, ctx) => {
  const hex = normaliseHex(v);
  if (!hex) {
    ctx.addIssue({ code: 'custom', message: 'Use a colour like #2f6f6a.' });
    return z.NEVER;
  }
  return hex;
});

/** The stored document; anything missing or unreadable falls back to the default, never fails a page. */
export const storedPreferencesSchema = z.object({
  timeZone: z.string().refine(isValidTimeZone).catch('UTC'),
  // A code Haven no longer ships (Deutsch, before languages were translated) is dropped, not fatal.
  languages: z
    .array(z.string())
    .transform((codes) => codes.filter((c) => LANGUAGE_CODES.includes(c)))
    .pipe(z.array(z.string()).min(1))
    .catch(LANGUAGE_CODES),
  defaultLanguage: z.enum(LANGUAGE_CODES as [string, ...string[]]).catch('en'),
  crisisResources: z.string().nullable().catch(null),
  crisisResourcesByLanguage: z.record(z.string(), z.string()).catch({}),
  cancellationPolicy: z.string().catch(''),
  messagingExpectations: z.string().nullable().catch(null),
  directoryPublic: z.boolean().nullable().catch(null),
  sessionIdleMinutes: z.number().int().positive().nullable().catch(null),
  sessionAbsoluteHours: z.number().int().positive().nullable().catch(null),
  colours: z
    .object({ primary: colour, primaryText: colour, background: colour, text: colour })
    .nullable()
    .catch(null),
  smtp: z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      security: z.enum(['tls', 'starttls', 'none']),
      username: z.string().nullable(),
    })
    .nullable()
    .catch(null),
});

const text = (max: number, label: string) =>
  z
    .string()
    .transform((v) => v.replace(/\r\n/g, '\n').trim())
    .refine((v) => v.length <= max, `${label}: use at most ${max.toLocaleString('en')} characters.`);

const minutes = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });

/** Crisis resources for readers of one language; empty removes them (the default text is shown). */
export const crisisResourcesFormSchema = z.object({
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Choose a language from the list.'),
  text: text(2000, 'Crisis resources').refine(
    (v) => v.length === 0 || v.length >= 10,
    'Give the crisis lines and numbers people should call (at least 10 characters), or leave it empty.',
  ),
});

/** The settings form: strings from the browser → checked values (each problem under its field). */
export const settingsFormSchema = z
  .object({
    clinicName: z.string().trim().min(1, 'Enter the clinic name.').max(120, 'Use at most 120 characters.'),
    selfSignup: z.boolean(),
    directoryPublic: z.boolean(),
    timeZone: z
      .string()
      .trim()
      .refine(isValidTimeZone, 'Choose a time zone from the list (an IANA name such as Europe/Lisbon).'),
    languages: z
      .array(z.enum(LANGUAGE_CODES as [string, ...string[]], { message: 'Choose languages from the list.' }))
      .min(1, 'Offer at least one language.'),
    // Empty (a form from before the field existed): the current default stays, if still offered.
    defaultLanguage: z
      .union([z.literal(''), z.enum(LANGUAGE_CODES as [string, ...string[]])], {
        message: 'Choose the default language from the list.',
      })
      .optional(),
    crisisResources: text(2000, 'Crisis resources').refine(
      (v) => v.length >= 10,
      'Give the crisis lines and numbers people should call (at least 10 characters).',
    ),
    cancellationPolicy: text(4000, 'Cancellation policy'),
    messagingExpectations: text(1000, 'Messaging expectations').refine(
      (v) => v.length >= 10,
      'Say when messages are answered (at least 10 characters).',
    ),
    sessionIdleMinutes: minutes(5, 24 * 60, 'Idle timeout: a whole number of minutes from 5 to 1440.'),
    sessionAbsoluteHours: minutes(1, 24 * 30, 'Session length: a whole number of hours from 1 to 720.'),
    primary: colour,
    primaryText: colour,
    background: colour,
    text: colour,
  })
  .refine((f) => !f.defaultLanguage || f.languages.includes(f.defaultLanguage), {
    path: ['defaultLanguage'],
    message: 'The default language must be one the clinic offers.',
  });
export type SettingsForm = z.output<typeof settingsFormSchema>;

export const smtpFormSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'Enter the SMTP server name.')
    .max(253)
    .regex(/^[a-zA-Z0-9.:[\]-]+$/, 'Enter a host name or IP address.'),
  port: z.coerce
    .number({ message: 'Enter a port number.' })
    .int('Enter a port number.')
    .min(1, 'Enter a port from 1 to 65535.')
    .max(65535, 'Enter a port from 1 to 65535.'),
  security: z.enum(['tls', 'starttls', 'none'], { message: 'Choose how to connect.' }),
  username: z.string().trim().max(320),
  /** Empty keeps the stored password. */
  password: z.string().max(1000),
});

/** Every pair below 4.5:1, as messages naming the pair and the ratio found. */
export function contrastProblems(colours: BrandColours): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [fg, bg, label] of CONTRAST_PAIRS) {
    const ratio = contrastRatio(colours[fg], colours[bg]);
    if (ratio < MIN_TEXT_CONTRAST && !problems[fg]) {
      problems[fg] =
        `${label} would be hard to read: contrast ${formatRatio(ratio)}, at least ${MIN_TEXT_CONTRAST}:1 is needed. ` +
        `Choose a darker or lighter ${COLOUR_LABELS[fg].toLowerCase()}.`;
    }
  }
  return problems;
}
