import { z } from 'zod';
import { idSchema } from '../shared/ids';

export const DEFAULT_GUIDELINES =
  'What is shared here stays here. Use your group name only; do not ask others for their real names or contact details. Be kind; no advice about medication. This group is not for emergencies: if you are in danger, call your local emergency number.';

/** The guidelines' text: long enough to say something, short enough to be read before each meeting. */
export const guidelinesInput = z
  .string()
  .trim()
  .min(20, 'errors:field.atLeast')
  .max(5000, 'errors:field.atMost');

// Problems are keys the page writes in the reader's words, with the limit the issue names ({{min}}, {{max}}).
export const createGroupInput = z.object({
  topic: z.string().trim().min(3, 'groups:problem.topic').max(120, 'errors:field.atMost'),
  description: z.string().trim().min(10, 'groups:problem.description').max(2000, 'errors:field.atMost'),
  capacity: z.coerce
    .number({ error: 'groups:problem.capacity' })
    .int('groups:problem.capacity')
    .min(2, 'groups:problem.minMembers')
    .max(50, 'groups:problem.maxMembers'),
  membership: z.enum(['open', 'approval'], { error: 'groups:problem.membership' }),
  facilitatorIds: z
    .array(idSchema, { error: 'groups:problem.facilitator' })
    .min(1, 'groups:problem.facilitator')
    .max(5, 'groups:problem.maxFacilitators'),
  guidelines: guidelinesInput.default(DEFAULT_GUIDELINES),
});

/** Letters, digits, spaces and a few marks; 2 to 30 characters; not an email address. */
export const pseudonymInput = z
  .string()
  .trim()
  .min(2, 'groups:problem.pseudonymLength')
  .max(30, 'groups:problem.pseudonymLength')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u, 'groups:problem.pseudonymCharacters');
