import { z } from 'zod';
import { LANGUAGES } from '../accounts';
import { isValidTimeZone } from '../scheduling';
import { phrase, type Problem } from '../shared/errors';
import { MIN_TEXT_CONTRAST, contrastRatio, normaliseHex } from './contrast';

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

/**
 * The pairs that must stay readable: [foreground, background]. The page names a pair
 * `admin:settings.colours.pairs.<fg>On<Bg>` and its problem `admin:problem.contrast.<fg>On<Bg>`.
 */
export const CONTRAST_PAIRS: ReadonlyArray<readonly [keyof BrandColours, keyof BrandColours]> = [
  ['text', 'background'],
  ['primaryText', 'primary'],
  ['primary', 'background'],
];

/** The colours in the order the page shows them (each named `admin:settings.colours.names.<key>`). */
export const COLOUR_KEYS: readonly (keyof BrandColours)[] = ['primary', 'primaryText', 'background', 'text'];

/** `textOnBackground`: a pair's name in the resource files. */
export function pairName([fg, bg]: readonly [keyof BrandColours, keyof BrandColours]): string {
  return `${fg}On${bg.charAt(0).toUpperCase()}${bg.slice(1)}`;
}

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
    ctx.addIssue({ code: 'custom', message: 'admin:problem.colour' });
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

/** Text from a textarea (line breaks as \n, trimmed); too long is `errors:field.atMost` with its `{{max}}`. */
const text = (max: number) =>
  z
    .string()
    .transform((v) => v.replace(/\r\n/g, '\n').trim())
    .pipe(z.string().max(max, 'errors:field.atMost'));

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
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'admin:problem.languageFromList'),
  text: text(2000).refine((v) => v.length === 0 || v.length >= 10, 'admin:problem.crisisOrEmpty'),
});

/** The settings form: strings from the browser → checked values (each problem under its field). */
export const settingsFormSchema = z
  .object({
    clinicName: z.string().trim().min(1, 'admin:problem.clinicName').max(120, 'errors:field.atMost'),
    selfSignup: z.boolean(),
    directoryPublic: z.boolean(),
    timeZone: z.string().trim().refine(isValidTimeZone, 'errors:field.timeZone'),
    languages: z
      .array(z.enum(LANGUAGE_CODES as [string, ...string[]], { message: 'admin:problem.languagesFromList' }))
      .min(1, 'admin:problem.offerOneLanguage'),
    // Empty (a form from before the field existed): the current default stays, if still offered.
    defaultLanguage: z
      .union([z.literal(''), z.enum(LANGUAGE_CODES as [string, ...string[]])], {
        message: 'admin:problem.defaultLanguageFromList',
      })
      .optional(),
    // Empty: Haven's own sentence (call the local emergency number), which each reader reads in their language.
    crisisResources: text(2000).refine(
      (v) => v.length === 0 || v.length >= 10,
      'admin:problem.crisisOrEmpty',
    ),
    cancellationPolicy: text(4000),
    // Empty: Haven's own sentence, which each reader reads in their language.
    messagingExpectations: text(1000).refine(
      (v) => v.length === 0 || v.length >= 10,
      'admin:problem.messagingExpectations',
    ),
    sessionIdleMinutes: minutes(5, 24 * 60, 'admin:problem.idleMinutes'),
    sessionAbsoluteHours: minutes(1, 24 * 30, 'admin:problem.sessionHours'),
    primary: colour,
    primaryText: colour,
    background: colour,
    text: colour,
  })
  .refine((f) => !f.defaultLanguage || f.languages.includes(f.defaultLanguage), {
    path: ['defaultLanguage'],
    message: 'admin:problem.defaultLanguageOffered',
  });
export type SettingsForm = z.output<typeof settingsFormSchema>;

export const smtpFormSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'admin:problem.smtpHost')
    .max(253, 'errors:field.atMost')
    .regex(/^[a-zA-Z0-9.:[\]-]+$/, 'admin:problem.hostName'),
  port: z.coerce
    .number({ message: 'admin:problem.port' })
    .int('admin:problem.port')
    .min(1, 'admin:problem.port')
    .max(65535, 'admin:problem.port'),
  security: z.enum(['tls', 'starttls', 'none'], { message: 'admin:problem.smtpSecurity' }),
  username: z.string().trim().max(320),
  /** Empty keeps the stored password. */
  password: z.string().max(1000),
});

/**
 * Every pair below 4.5:1, as problems under the foreground's field naming the pair and the ratio
 * found (rounded down to one decimal, as the page's table shows it: 4.49 is not 4.5).
 */
export function contrastProblems(colours: BrandColours): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  for (const pair of CONTRAST_PAIRS) {
    const [fg, bg] = pair;
    const ratio = contrastRatio(colours[fg], colours[bg]);
    if (ratio < MIN_TEXT_CONTRAST && !problems[fg]) {
      problems[fg] = phrase(`admin:problem.contrast.${pairName(pair)}`, {
        ratio: Math.floor(ratio * 10) / 10,
        min: MIN_TEXT_CONTRAST,
      });
    }
  }
  return problems;
}
