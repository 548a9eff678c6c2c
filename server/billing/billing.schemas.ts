import { z } from 'zod';
import type { ErrorCode } from '../shared/errors';
import { formRefusal } from '../shared/form-refusal';
import { INVOICING_MODES, PAYMENT_KINDS, PAYMENT_METHODS, SERVICE_ROLES } from './billing.types';
import { isCurrency } from './money';
import { npiProblem } from './npi';

/**
 * Forms arrive as strings; amounts stay strings here and are parsed by `parseAmount` with the currency.
 * Messages are resource keys (the transport writes them in the reader's language); a problem is shown
 * beside its field, so it need not name the field.
 */
const line = (max: number) =>
  z
    .string({ error: 'billing:problem.required' })
    .trim()
    .min(1, 'billing:problem.required')
    .max(max, 'errors:field.atMost');
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors:field.atMost')
    .optional()
    .transform((v) => v ?? '');
const amount = () =>
  z.string({ error: 'billing:problem.required' }).trim().min(1, 'billing:problem.required');
/** An unticked box is absent from the form: `.optional()` (not a union with undefined) lets the key be missing. */
const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal('')])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1');

export const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'billing:problem.dateFormat')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'billing:problem.noSuchDate',
  );

const npi = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').replace(/\s/g, ''))
    .superRefine((v, ctx) => {
      if (v === '') return;
      const problem = npiProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

export const settingsSchema = z.object({
  currency: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine(isCurrency, 'billing:problem.currency'),
  telehealthModifier: checkbox,
  invoicing: z.enum(INVOICING_MODES, { message: 'billing:problem.invoicing' }),
  paymentTermsDays: z.coerce
    .number({ message: 'billing:problem.paymentTerms' })
    .int('billing:problem.paymentTerms')
    .min(0, 'billing:problem.paymentTerms')
    .max(120, 'billing:problem.paymentTerms'),
  chargeLateCancel: checkbox,
  chargeNoShow: checkbox,
  clinicNpi: npi(),
  /** The form says "tax number": a field named …Id is a record id at the HTTP edge. */
  taxNumber: z
    .string()
    .trim()
    .max(20, 'errors:field.atMost')
    .regex(/^[0-9A-Za-z-]*$/, 'billing:problem.taxIdCharacters'),
  address: optional(400),
  defaultProgramId: z
    .string()
    .trim()
    .max(36)
    .optional()
    .transform((v) => v || null),
});
export type SettingsForm = z.output<typeof settingsSchema>;

export const serviceSchema = z.object({
  code: line(20)
    .regex(/^[A-Z0-9-]+$/i, 'billing:problem.serviceCode')
    .transform((v) => v.toUpperCase()),
  description: line(200),
  durationMinutes: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const m = Number(v);
      if (!Number.isInteger(m) || m < 1 || m > 600) {
        ctx.addIssue({ code: 'custom', message: 'billing:problem.duration' });
        return z.NEVER;
      }
      return m;
    }),
  fee: amount(),
  role: z.enum(SERVICE_ROLES).optional().default('other'),
  active: checkbox,
});
export type ServiceForm = z.output<typeof serviceSchema>;

export const programSchema = z.object({
  name: line(80),
  description: optional(400),
  active: checkbox,
});

export const clientDetailsSchema = z.object({
  legalName: line(120),
  dateOfBirth: isoDay,
  address: optional(400),
});

export const overrideSchema = z.object({
  programId: z
    .string()
    .trim()
    .max(36)
    .optional()
    .transform((v) => v || null),
  reason: optional(500),
});

export const adjustSchema = z.object({
  serviceId: z.string().trim().min(1, 'billing:problem.chooseService').max(36),
  units: z.coerce
    .number({ message: 'billing:problem.units' })
    .int('billing:problem.units')
    .min(1, 'billing:problem.units')
    .max(20, 'billing:problem.units'),
  unitFee: amount(),
  placeOfService: z.enum(['10', '02'], { message: 'billing:problem.placeOfService' }),
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
      'billing:problem.modifiers',
    ),
  reason: line(500),
});

export const paymentSchema = z
  .object({
    kind: z.enum(PAYMENT_KINDS, { message: 'billing:problem.paymentKind' }),
    method: z.enum(PAYMENT_METHODS).optional(),
    amount: amount(),
    receivedOn: isoDay,
    reference: optional(80),
    reason: optional(500),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'write_off' && !v.method)
      ctx.addIssue({ code: 'custom', path: ['method'], message: 'billing:problem.paymentMethod' });
    if (v.kind !== 'payment' && !v.reason)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'billing:problem.refundReason',
      });
  });
export type PaymentForm = z.output<typeof paymentSchema>;

export const providerSchema = z.object({
  npi: npi(),
  credentials: optional(80),
});

export const rangeSchema = z
  .object({ from: isoDay, to: isoDay })
  .refine((v) => v.from <= v.to, { path: ['to'], message: 'billing:problem.endBeforeStart' });

/** Parses or throws `code` with each problem under its field (forms show them beside the field). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, code: ErrorCode): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw formRefusal(code, result.error.issues);
}
