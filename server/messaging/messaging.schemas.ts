import { z } from 'zod';
import { idSchema } from '../shared/ids';

/** Input schemas: routes and socket handlers parse with these before calling the service. */
const uuid = idSchema;

export const MESSAGE_MAX_CHARS = 10_000;
export const AWAY_NOTICE_MAX_CHARS = 500;
export const SEARCH_MAX_CHARS = 200;

export const threadRef = z.object({ threadId: uuid }).strict();
export const messageRef = z.object({ messageId: uuid }).strict();
export const attachmentRef = z.object({ attachmentId: uuid }).strict();

/** The body may be empty only when a file is attached (the service checks that pairing). */
export const messageBody = z
  .string()
  .max(MESSAGE_MAX_CHARS, 'errors:field.atMost')
  .transform((s) => s.replace(/\r\n/g, '\n').trim());

/** Whom to open a thread with: a person's id, or the clinic's front desk. */
export const openInput = z.union([
  z.object({ with: uuid }).strict(),
  z.object({ with: z.literal('front_desk') }).strict(),
]);

export const awayNoticeInput = z
  .string()
  .max(AWAY_NOTICE_MAX_CHARS, 'errors:field.atMost')
  .transform((s) => s.trim());

export const searchInput = z
  .string()
  .max(SEARCH_MAX_CHARS)
  .transform((s) => s.trim());

/** Socket: subscribe to live messaging notices (no payload fields). */
export const subscribeInput = z.object({}).strict();
