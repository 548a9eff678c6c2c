import { z } from 'zod';
import { APPROACHES, FORMATS, SPECIALTIES, TIMES } from './vocabulary';

/** A form sends one value or several under the same name; both become a list. */
const many = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(values)),
  );

// Problems are keys the page writes in the reader's words, with the limit the issue names ({{max}}).
const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max, 'errors:field.atMost').optional(),
  );
const EXPIRY_DATE = 'directory:problem.expiryDate';

export const profileFormSchema = z.object({
  bio: z.string().trim().max(4000, 'directory:problem.bioLength').default(''),
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
      z.array(z.string().max(40, 'directory:problem.languageName')).max(10, 'directory:problem.languages'),
    ),
  acceptingNewClients: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
  licenceType: optionalText(80),
  licenceNumber: optionalText(80),
  licenceJurisdiction: optionalText(120),
  licenceExpiresOn: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.iso.date({ error: EXPIRY_DATE }).optional(),
  ),
});
export type ProfileForm = z.output<typeof profileFormSchema>;

/** The licence an admin checked before inviting a therapist: all of it, and how it was checked. */
export const invitedLicenceSchema = z.object({
  licenceType: z.string().trim().min(1, 'directory:problem.licenceType').max(80, 'errors:field.atMost'),
  licenceNumber: z.string().trim().min(1, 'directory:problem.licenceNumber').max(80, 'errors:field.atMost'),
  licenceJurisdiction: z
    .string()
    .trim()
    .min(1, 'directory:problem.licenceJurisdiction')
    .max(120, 'errors:field.atMost'),
  licenceExpiresOn: z.iso.date({ error: EXPIRY_DATE }),
  licenceMethod: z.string().trim().min(3, 'directory:problem.howYouChecked').max(200, 'errors:field.atMost'),
});
export type InvitedLicenceInput = z.output<typeof invitedLicenceSchema>;

export const verifyLicenceSchema = z.object({
  method: z.string().trim().min(3, 'directory:problem.howChecked').max(200, 'errors:field.atMost'),
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
