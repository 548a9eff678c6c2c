import { ZodError } from 'zod';
import { errorText, problemText } from '../i18n';
import type { AckError } from '../protocol';
import { isAppError, issueProblem, type AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { SocketReader } from './socket-reader';

const MEDIA_REFUSALS = new Set(['TypeError', 'UnsupportedError', 'InvalidStateError']);

/**
 * The socket twin of the HTTP error handler: an AppError becomes its code and its sentence in the
 * reader's language, a schema failure becomes `validation.invalid_payload`, anything else `internal`
 * (logged, never detailed). The page shows `message` as it comes, so it is always the reader's words.
 */
export function toAckError(error: unknown, reader: SocketReader, logger: Logger, event: string): AckError {
  const { t } = reader;
  if (isAppError(error)) {
    const message = refusalText(reader, error);
    // A join at the wrong node says which node to go to (the page follows it).
    const given = error.code === 'room.elsewhere' ? error.details?.node : undefined;
    const node = typeof given === 'string' ? given : undefined;
    return node ? { code: error.code, message, node } : { code: error.code, message };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    if (!issue) return { code: 'validation.invalid_payload', message: t('errors:realtime.invalid') };
    // A schema's own key ("errors:room.writeFirst") is for a person; zod's English is for a developer.
    const problem = issueProblem(issue);
    if (typeof problem !== 'string') {
      return { code: 'validation.invalid_payload', message: problemText(t, problem) };
    }
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return { code: 'validation.invalid_payload', message: `${where}${problem}` };
  }
  // mediasoup refuses malformed negotiation objects with these; that is the client's fault.
  if (event.startsWith('media:') && error instanceof Error && MEDIA_REFUSALS.has(error.name)) {
    logger.warn({ err: error, event }, 'media request refused');
    return { code: 'media.rejected', message: t('errors:realtime.mediaRefused') };
  }
  logger.error({ err: error, event }, 'socket handler failed');
  return { code: 'internal', message: t('errors:realtime.internal') };
}

/** A refusal without a sentence of its own says what its code means, else just that it was refused. */
function refusalText(reader: SocketReader, error: AppError): string {
  if (error.phrase || (reader.english && error.message !== error.code)) {
    return errorText(reader.t, error, reader.english);
  }
  return reader.t(`errors:code.${error.code}`, {
    defaultValue: reader.t('errors:realtime.refused'),
  }) as string;
}
