import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorText, SOURCE_LANGUAGE, statusTitle, type TFunction, type Translator } from '../i18n';
import { AppError, isAppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

function wantsJson(accept: string | undefined): boolean {
  return !!accept && accept.includes('application/json') && !accept.includes('text/html');
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('http.not_found', 'not_found'));
};

/**
 * Turns an error code into a status and a friendly page (or JSON) in the reader's language; never
 * shows a stack trace. `translator` writes English for a request refused before its language was chosen.
 */
export function errorHandler(logger: Logger, translator: Translator): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const t = (res.locals.t as TFunction | undefined) ?? translator.fixedT(SOURCE_LANGUAGE);
    const english = (res.locals.lang ?? SOURCE_LANGUAGE) === SOURCE_LANGUAGE;
    let status: number;
    let code: string;
    let message: string;
    if (isAppError(error)) {
      status = error.status;
      code = error.code;
      message = errorText(t, error, english);
    } else if (
      typeof (error as { status?: unknown }).status === 'number' &&
      (error as { status: number }).status < 500
    ) {
      // Errors raised by body parsers and the like (413 too large, 400 malformed JSON), and the CSRF
      // check's 403, which names its own code: said with the code's words when it has some.
      status = (error as { status: number }).status;
      const own = (error as { code?: unknown }).code;
      code =
        typeof own === 'string' && own.startsWith('http.')
          ? own
          : `http.${(error as { type?: string }).type ?? 'bad_request'}`;
      message = t(`errors:code.${code}`, { defaultValue: statusTitle(t, status) }) as string;
    } else {
      status = 500;
      code = 'internal';
      message = statusTitle(t, 500);
      (req.log ?? logger).error({ err: error }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(status);
    const requestId = String(res.getHeader('X-Request-Id') ?? '');
    if (wantsJson(req.headers.accept)) {
      res.json({ error: { code, message, requestId } });
      return;
    }
    res.render('errors/error', {
      title: statusTitle(t, status),
      status,
      message,
      code,
      requestId,
    });
  };
}
