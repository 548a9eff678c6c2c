import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { messagingPolicy, messagingSchemas, type MessagingFeature } from '../../messaging';
import { AppError, phrase } from '../../shared/errors';
import { formatBytes } from '../../shared/file-size';
import { requireRole } from '../middleware/auth';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { pageT } from '../middleware/language-locals';
import { actorOf } from './route-helpers';
import { errorTextFor } from '../error-words';

export interface MessagingRoutesDeps {
  readonly messaging: MessagingFeature;
  /** MESSAGE_ATTACHMENT_MAX_KB in bytes: multer stops reading past it. */
  readonly attachmentMaxBytes: number;
}

/** Messaging is for clients, their therapists and (front desk) admins; peer supporters get 403. */
const MEMBERS = requireRole(...messagingPolicy.MESSAGING_ROLES);

const threadRoute = { threadId: fields.id };

/**
 * One file per message, held in memory (never on disk unencrypted) and cut off at the size limit;
 * a few small text fields. The content type is decided later by the service from the bytes.
 */
function upload(maxBytes: number): RequestHandler {
  const parser = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 64 * 1024, parts: 8 },
  }).single('attachment');
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    parser(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        // The size in the reader's digits and units ("8 Ko"), written when the page is.
        const message =
          error.code === 'LIMIT_FILE_SIZE'
            ? phrase('messaging:upload.tooLarge', { size: formatBytes(maxBytes, req.locale) })
            : phrase('messaging:upload.refused');
        return next(
          new AppError(
            error.code === 'LIMIT_FILE_SIZE' ? 'messaging.attachment_too_large' : 'messaging.bad_upload',
            'bad_request',
            message,
          ),
        );
      }
      next(error as Error | undefined);
    });
  };
}

/**
 * Puts the signed-in person's unread message count in `res.locals.unreadMessages` for the header's
 * "Messages" link, on page views only (a count, never content; one small query per page).
 */
export function unreadMessagesLocal(messaging: MessagingFeature): RequestHandler {
  return (req, res, next) => {
    const user = req.user;
    const page = req.method === 'GET' && !req.path.startsWith('/messages/attachments/');
    if (!user || !page || !messagingPolicy.mayUseMessaging(user)) {
      return next();
    }
    messaging.unreadCountFor(user.id).then((count) => {
      res.locals.unreadMessages = count;
      next();
    }, next);
  };
}

/**
 * Messaging pages. Declared checks: every route needs the client, therapist or admin role; thread
 * membership (messaging.policy `membershipIn`) is decided by the service on every call, and a
 * non-member gets the same 404 as for a thread that does not exist.
 */
export function messagingRoutes(deps: MessagingRoutesDeps): Router {
  const router = Router();
  const { messaging } = deps;

  router.get(
    '/messages',
    MEMBERS,
    endpoint({}, async (_input, req, res) => {
      const actor = actorOf(req);
      res.render('messaging/inbox', {
        threads: await messaging.inbox.threadsFor(actor),
        isTherapist: actor.roles.includes('therapist'),
        awayNotice: actor.roles.includes('therapist')
          ? await messaging.messages.awayNoticeOf(actor.id)
          : null,
      });
    }),
  );

  router.post(
    '/messages/open',
    MEMBERS,
    endpoint({ body: { with: fields.optionalId } }, async ({ body }, req, res) => {
      const parsed = messagingSchemas.openInput.safeParse({ with: body.with });
      if (!parsed.success)
        throw new AppError('messaging.not_allowed', 'bad_request', phrase('errors:messaging.chooseSomeone'));
      const threadId = await messaging.inbox.open(actorOf(req), parsed.data.with);
      res.redirect(303, `/messages/${threadId}`);
    }),
  );

  router.get(
    '/messages/search',
    MEMBERS,
    endpoint({ query: { q: fields.text() } }, async (input, req, res) => {
      const query = input.query.q ?? '';
      let hits = null;
      let error = null;
      if (query.trim() !== '') {
        try {
          hits = await messaging.inbox.search(actorOf(req), query);
        } catch (e) {
          if (!(e instanceof AppError) || e.kind !== 'bad_request') throw e;
          error = errorTextFor(res, e);
        }
      }
      res.render('messaging/search', { query, hits, error });
    }),
  );

  router.post(
    '/messages/away-notice',
    requireRole('therapist'),
    endpoint({ body: { awayNotice: fields.text() } }, async ({ body }, req, res) => {
      await messaging.messages.setAwayNotice(actorOf(req), body.awayNotice ?? '');
      if (req.session) req.session.flash = pageT(res)('messaging:away.saved');
      res.redirect(303, '/messages');
    }),
  );

  router.get(
    '/messages/attachments/:attachmentId',
    MEMBERS,
    endpoint({ params: { attachmentId: fields.id } }, async ({ params }, req, res) => {
      const file = await messaging.messages.download(actorOf(req), params.attachmentId);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // Even if something opened it inline, it could run nothing.
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.attachment(file.name);
      res.type(file.contentType);
      res.send(file.bytes);
    }),
  );

  router.post(
    '/messages/retract/:messageId',
    MEMBERS,
    endpoint({ params: { messageId: fields.id } }, async ({ params }, req, res) => {
      const { threadId } = await messaging.messages.retract(actorOf(req), params.messageId);
      res.redirect(303, `/messages/${threadId}`);
    }),
  );

  router.post(
    '/messages/:threadId/read',
    MEMBERS,
    endpoint({ params: threadRoute }, async ({ params }, req, res) => {
      const result = await messaging.messages.markRead(actorOf(req), params.threadId);
      res.json(result);
    }),
  );

  router.get(
    '/messages/:threadId',
    MEMBERS,
    endpoint({ params: threadRoute }, async ({ params }, req, res) => {
      const actor = actorOf(req);
      const page = await messaging.messages.readThread(actor, params.threadId);
      res.render('messaging/thread', {
        title: page.title,
        page,
        me: actor.id,
        maxBytes: deps.attachmentMaxBytes,
        errors: null,
        draft: '',
      });
    }),
  );

  router.post(
    '/messages/:threadId',
    MEMBERS,
    upload(deps.attachmentMaxBytes),
    endpoint(
      { params: threadRoute, body: { body: fields.longText() } },
      async ({ params, body: values }, req, res) => {
        const actor = actorOf(req);
        const { threadId } = params;
        const body = values.body ?? '';
        const file = req.file;
        try {
          const sent = await messaging.messages.send(actor, threadId, {
            body,
            attachment: file ? { bytes: file.buffer, originalName: file.originalname } : null,
          });
          res.redirect(303, `/messages/${threadId}#m-${sent.id}`);
        } catch (error) {
          if (!(error instanceof AppError) || error.kind !== 'bad_request') throw error;
          // Keep what they wrote; show the problem next to the composer.
          const page = await messaging.messages.readThread(actor, threadId);
          res.status(400).render('messaging/thread', {
            title: page.title,
            page,
            me: actor.id,
            maxBytes: deps.attachmentMaxBytes,
            errors: {
              // The service's backstop names the size in English units; the reader's are written here.
              form:
                error.code === 'messaging.attachment_too_large'
                  ? pageT(res)('messaging:upload.tooLarge', {
                      size: formatBytes(deps.attachmentMaxBytes, req.locale),
                    })
                  : errorTextFor(res, error),
            },
            draft: body,
          });
        }
      },
    ),
  );

  return router;
}
