import { z } from 'zod';
import { GUEST_ROLES } from '../shared/guest-roles';

/**
 * The "invite a guest" form. An interpreter needs the language they interpret (the room shows it);
 * every guest reads one language (their email and pages); `scope` = `series` invites them to this
 * and every later appointment of the series.
 */
export const guestInput = z
  .object({
    role: z.enum(GUEST_ROLES, { message: 'guests:problem.role' }),
    displayName: z.string().trim().min(1, 'errors:field.nameOthersSee').max(80, 'errors:field.atMost'),
    email: z.string().trim().toLowerCase().email('guests:problem.email').max(254, 'errors:field.atMost'),
    language: z.string().trim().max(60, 'errors:field.atMost').default(''),
    // The language the guest reads (a code); empty: the clinic's default. The service checks it is offered.
    readingLanguage: z.string().trim().max(16, 'errors:field.languageOffered').default(''),
    scope: z.enum(['one', 'series'], { message: 'guests:problem.sessions' }).default('one'),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'interpreter' && v.language === '') {
      ctx.addIssue({ code: 'custom', path: ['language'], message: 'guests:problem.interpreterLanguage' });
    }
  });
export type GuestInput = z.output<typeof guestInput>;
