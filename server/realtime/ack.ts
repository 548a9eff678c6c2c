import { ZodError } from 'zod';
import type { AckError } from '../protocol';
import { isAppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

const MEDIA_REFUSALS = new Set(['TypeError', 'UnsupportedError', 'InvalidStateError']);

/**
 * The socket twin of the HTTP error handler: an AppError becomes its code and message, a schema
 * failure becomes `validation.invalid_payload`, anything else `internal` (logged, never detailed).
 */
export function toAckError(error: unknown, logger: Logger, event: string): AckError {
  if (isAppError(error)) {
    const message = error.message === error.code ? 'Refused.' : error.message;
    // A join at the wrong node says which node to go to (the page follows it).
    const given = error.code === 'room.elsewhere' ? error.details?.node : undefined;
    const node = typeof given === 'string' ? given : undefined;
    return node ? { code: error.code, message, node } : { code: error.code, message };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { code: 'validation.invalid_payload', message: `${where}${issue?.message ?? 'invalid'}` };
  }
  // mediasoup refuses malformed negotiation objects with these; that is the client's fault.
  if (event.startsWith('media:') && error instanceof Error && MEDIA_REFUSALS.has(error.name)) {
    logger.warn({ err: error, event }, 'media request refused');
    return { code: 'media.rejected', message: 'The media server refused that request.' };
  }
  logger.error({ err: error, event }, 'socket handler failed');
  return { code: 'internal', message: 'Something went wrong on our side.' };
}
