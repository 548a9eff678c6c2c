import { z } from 'zod';
import { ROLES } from './roles';

/** Addresses are compared lower-cased and trimmed, so "Ana@Example.org " is the same person as "ana@example.org". */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address.' }).max(320));

export const newUserSchema = z.object({
  email: emailSchema,
  displayName: z.string().trim().min(1, 'Enter a name.').max(120),
  password: z.string().min(8).max(1024).optional(),
  roles: z.array(z.enum(ROLES)).min(1),
  isDemo: z.boolean().default(false),
});
export type NewUserInput = z.input<typeof newUserSchema>;
