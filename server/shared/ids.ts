import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Record ids: random UUIDs, so ids in URLs reveal nothing about counts and cannot be guessed. */
export const newId = (): string => randomUUID();

/** An unguessable URL-safe token (invitations, resets, calendar feeds). */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** What is stored of a token sent by email or link: its SHA-256, so a database copy cannot use it. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The one format of a record id, for every edge that receives one (route parameters, form fields,
 * socket payloads): anything else names no record, so it is refused before any query.
 */
export const idSchema = z.uuid();

/** The format of a `newToken()` (base64url, 16–64 bytes of randomness). */
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22,86}$/, 'is not a token');
