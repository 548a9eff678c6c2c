import { z } from 'zod';
import { APPROACHES, FORMATS, SPECIALTIES, TIMES } from './vocabulary';

/** A form sends one value or several under the same name; both become a list. */
const many = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(values)),
  );

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max).optional(),
  );

export const profileFormSchema = z.object({
  bio: z.string().trim().max(4000, 'The bio is at most 4000 characters.').default(''),
  specialties: many(SPECIALTIES),
  approaches: many(APPROACHES),
  formats: many(FORMATS),
  times: many(TIMES),
  languages: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(40, 'A language name is at most 40 characters.'))
        .max(10, 'List at most 10 languages.'),
    ),
  acceptingNewClients: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
  licenceType: optionalText(80),
  licenceNumber: optionalText(80),
  licenceJurisdiction: optionalText(120),
  licenceExpiresOn: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.iso.date({ error: 'The expiry date should be a date (YYYY-MM-DD).' }).optional(),
  ),
});
export type ProfileForm = z.output<typeof profileFormSchema>;

/** The licence an admin checked before inviting a therapist: all of it, and how it was checked. */
export const invitedLicenceSchema = z.object({
  licenceType: z.string().trim().min(1, 'Give the licence type.').max(80),
  licenceNumber: z.string().trim().min(1, 'Give the licence number.').max(80),
  licenceJurisdiction: z.string().trim().min(1, 'Give the issuing state or country.').max(120),
  licenceExpiresOn: z.iso.date({ error: 'The expiry date should be a date (YYYY-MM-DD).' }),
  licenceMethod: z.string().trim().min(3, 'Say how you checked the licence.').max(200),
});
export type InvitedLicenceInput = z.output<typeof invitedLicenceSchema>;

export const verifyLicenceSchema = z.object({
  method: z.string().trim().min(3, 'Say how the licence was checked.').max(200),
});

export const directoryFilterSchema = z.object({
  specialty: optionalText(40),
  approach: optionalText(40),
  language: optionalText(40),
  format: optionalText(20),
  location: optionalText(120),
  kind: z.enum(['therapist', 'peer_supporter']).optional().catch(undefined),
  /** Only therapists with an open slot within this many days. */
  openWithinDays: z.coerce.number().int().min(1).max(62).optional().catch(undefined),
});
export type DirectoryFilter = z.output<typeof directoryFilterSchema>;
