import { z } from 'zod';
import { GUEST_ROLES } from '../shared/guest-roles';

/**
 * The "invite a guest" form. An interpreter needs the language they interpret (the room shows it);
 * every guest reads one language (their email and pages); `scope` = `series` invites them to this
 * and every later appointment of the series.
 */
export const guestInput = z
  .object({
    role: z.enum(GUEST_ROLES, { message: 'Choose what the guest is in the session.' }),
    displayName: z
      .string()
      .trim()
      .min(1, 'Enter the name the others will see.')
      .max(80, 'At most 80 characters.'),
    email: z.string().trim().toLowerCase().email('Enter an email address the link can go to.').max(254),
    language: z.string().trim().max(60, 'At most 60 characters.').default(''),
    // The language the guest reads (a code); empty: the clinic's default. The service checks it is offered.
    readingLanguage: z.string().trim().max(16).default(''),
    scope: z.enum(['one', 'series']).default('one'),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'interpreter' && v.language === '') {
      ctx.addIssue({ code: 'custom', path: ['language'], message: 'Enter the language they interpret.' });
    }
  });
export type GuestInput = z.output<typeof guestInput>;
