import { randomBytes, randomUUID } from 'node:crypto';

/** Record ids: random UUIDs, so ids in URLs reveal nothing about counts and cannot be guessed. */
export const newId = (): string => randomUUID();

/** An unguessable URL-safe token (invitations, resets, calendar feeds). */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
