import { z } from 'zod';
import { idSchema } from '../shared/ids';

export const DEFAULT_GUIDELINES =
  'What is shared here stays here. Use your group name only; do not ask others for their real names or contact details. Be kind; no advice about medication. This group is not for emergencies: if you are in danger, call your local emergency number.';

export const createGroupInput = z.object({
  topic: z.string().trim().min(3, 'Give a topic of at least 3 characters.').max(120),
  description: z.string().trim().min(10, 'Describe the group in at least 10 characters.').max(2000),
  capacity: z.coerce.number().int().min(2, 'At least 2 members.').max(50, 'At most 50 members.'),
  membership: z.enum(['open', 'approval']),
  facilitatorIds: z.array(idSchema).min(1, 'Choose at least one facilitator.').max(5),
  guidelines: z.string().trim().min(20).max(5000).default(DEFAULT_GUIDELINES),
});

/** Letters, digits, spaces and a few marks; 2 to 30 characters; not an email address. */
export const pseudonymInput = z
  .string()
  .trim()
  .min(2, 'Choose a name of 2 to 30 characters.')
  .max(30, 'Choose a name of 2 to 30 characters.')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u, 'Use letters, numbers, spaces, dots, dashes or apostrophes.');

export const guidelinesInput = z.string().trim().min(20).max(5000);
