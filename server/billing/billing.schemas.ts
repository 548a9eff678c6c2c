import { z } from 'zod';
import { AppError, type ErrorCode } from '../shared/errors';
import { INVOICING_MODES, PAYMENT_KINDS, PAYMENT_METHODS, SERVICE_ROLES } from './billing.types';
import { isCurrency } from './money';
import { npiProblem } from './npi';

/** Forms arrive as strings; amounts stay strings here and are parsed by `parseAmount` with the currency. */
const line = (max: number, label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label}: at most ${max} characters.`);
const optional = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}: at most ${max} characters.`)
    .optional()
    .transform((v) => v ?? '');
const amount = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`);
/** An unticked box is absent from the form: `.optional()` (not a union with undefined) lets the key be missing. */
const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal('')])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1');

export const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-03-01.')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'That date does not exist.',
  );

const npi = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').replace(/\s/g, ''))
    .superRefine((v, ctx) => {
      if (v === '') return;
      const problem = npiProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `${label}: ${problem}` });
    });

export const settingsSchema = z.object({
  currency: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine(isCurrency, 'Choose an ISO 4217 currency code such as USD, EUR or GBP.'),
  telehealthModifier: checkbox,
  invoicing: z.enum(INVOICING_MODES, { message: 'Choose on demand or monthly.' }),
  paymentTermsDays: z.coerce
    .number({ message: 'Payment terms: a number of days.' })
    .int('Payment terms: a whole number of days.')
    .min(0, 'Payment terms: 0 to 120 days.')
    .max(120, 'Payment terms: 0 to 120 days.'),
  chargeLateCancel: checkbox,
  chargeNoShow: checkbox,
  clinicNpi: npi('Clinic NPI'),
  /** The form says "tax number": a field named …Id is a record id at the HTTP edge. */
  taxNumber: z
    .string()
    .trim()
    .max(20, 'Tax id: at most 20 characters.')
    .regex(/^[0-9A-Za-z-]*$/, 'Tax id: digits, letters and hyphens only (e.g. 12-3456789).'),
  address: optional(400, 'Address'),
  defaultProgramId: z
    .string()
    .trim()
    .max(36)
    .optional()
    .transform((v) => v || null),
});
export type SettingsForm = z.output<typeof settingsSchema>;

export const serviceSchema = z.object({
  code: line(20, 'Code')
    .regex(/^[A-Z0-9-]+$/i, 'Code: letters, digits and hyphens.')
    .transform((v) => v.toUpperCase()),
  description: line(200, 'Description'),
  durationMinutes: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const m = Number(v);
      if (!Number.isInteger(m) || m < 1 || m > 600) {
        ctx.addIssue({ code: 'custom', message: 'Duration: whole minutes from 1 to 600.' });
        return z.NEVER;
      }
      return m;
    }),
  fee: amount('Fee'),
  role: z.enum(SERVICE_ROLES).optional().default('other'),
  active: checkbox,
});
export type ServiceForm = z.output<typeof serviceSchema>;

export const programSchema = z.object({
  name: line(80, 'Name'),
  description: optional(400, 'Description'),
  active: checkbox,
});

export const clientDetailsSchema = z.object({
  legalName: line(120, 'Legal name'),
  dateOfBirth: isoDay,
  address: optional(400, 'Address'),
});

export const overrideSchema = z.object({
  programId: z
    .string()
    .trim()
    .max(36)
    .optional()
    .transform((v) => v || null),
  reason: optional(500, 'Reason'),
});

export const adjustSchema = z.object({
  serviceId: z.string().trim().min(1, 'Choose a service.').max(36),
  units: z.coerce
    .number({ message: 'Units: a whole number.' })
    .int('Units: a whole number.')
    .min(1, 'Units: 1 to 20.')
    .max(20, 'Units: 1 to 20.'),
  unitFee: amount('Fee per unit'),
  placeOfService: z.enum(['10', '02'], { message: 'Choose the place of service.' }),
  modifiers: z
    .string()
    .trim()
    .max(20)
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((m) => m.toUpperCase()),
    )
    .refine(
      (list) => list.length <= 4 && list.every((m) => /^[A-Z0-9]{2}$/.test(m)),
      'Modifiers: up to four two-character codes, e.g. 95.',
    ),
  reason: line(500, 'Reason for the change'),
});

export const paymentSchema = z
  .object({
    kind: z.enum(PAYMENT_KINDS, { message: 'Choose payment, refund or write-off.' }),
    method: z.enum(PAYMENT_METHODS).optional(),
    amount: amount('Amount'),
    receivedOn: isoDay,
    reference: optional(80, 'Reference'),
    reason: optional(500, 'Reason'),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'write_off' && !v.method)
      ctx.addIssue({ code: 'custom', path: ['method'], message: 'Choose how the money moved.' });
    if (v.kind !== 'payment' && !v.reason)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'Give a reason for a refund or a write-off.',
      });
  });
export type PaymentForm = z.output<typeof paymentSchema>;

export const providerSchema = z.object({
  npi: npi('NPI'),
  credentials: optional(80, 'Credentials'),
});

export const rangeSchema = z
  .object({ from: isoDay, to: isoDay })
  .refine((v) => v.from <= v.to, { path: ['to'], message: 'The end date is before the start date.' });

/** Parses or throws `code` with each problem under its field (forms show them beside the field). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, code: ErrorCode): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details: Record<string, string> = {};
  for (const issue of result.error.issues) details[String(issue.path[0] ?? 'form')] ??= issue.message;
  throw new AppError(code, 'bad_request', Object.values(details)[0] ?? 'Please correct the form.', details);
}
