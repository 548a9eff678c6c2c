import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

const TITLES: Record<number, string> = {
  400: 'That request could not be handled',
  401: 'Please sign in',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That conflicts with something that already exists',
  413: 'That was too large',
  429: 'Too many attempts',
  500: 'Something went wrong on our side',
  503: 'Haven is not ready yet',
};

function wantsJson(accept: string | undefined): boolean {
  return !!accept && accept.includes('application/json') && !accept.includes('text/html');
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('http.not_found', 'not_found', `No page at ${req.path}`));
};

/** Turns an error code into a status and a friendly page (or JSON); never shows a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let status: number;
    let code: string;
    let message: string;
    if (isAppError(error)) {
      status = error.status;
      code = error.code;
      message = error.message === error.code ? (TITLES[status] ?? 'Error') : error.message;
    } else if (
      typeof (error as { status?: unknown }).status === 'number' &&
      (error as { status: number }).status < 500
    ) {
      // Errors raised by body parsers and the like (413 too large, 400 malformed JSON).
      status = (error as { status: number }).status;
      code = `http.${(error as { type?: string }).type ?? 'bad_request'}`;
      message = TITLES[status] ?? 'That request could not be handled';
    } else {
      status = 500;
      code = 'internal';
      message = TITLES[500] as string;
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
      title: TITLES[status] ?? 'Error',
      status,
      message,
      code,
      requestId,
    });
  };
}
