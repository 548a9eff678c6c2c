import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import {
  APPROACHES,
  canBrowseDirectory,
  directoryFilterSchema,
  FORMATS,
  PHOTO_MAX_BYTES,
  photoTooLarge,
  SPECIALTIES,
  type PhotoStore,
  TIMES,
  type DirectoryService,
} from '../../directory';
import { AppError, phrase } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp, renderFormError } from './route-helpers';

export interface DirectoryRoutesDeps {
  readonly directory: DirectoryService;
  readonly visibility: 'public' | 'signed_in';
  /** Practitioners' photos (under DATA_DIR/photos). */
  readonly photos: PhotoStore;
}

/** One file, held in memory, cut off just past the limit (the store re-encodes it). */
const photoParser = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 2, parts: 3 },
}).single('photo');

function readPhotoUpload(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    photoParser(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        reject(
          error.code === 'LIMIT_FILE_SIZE'
            ? photoTooLarge()
            : new AppError('directory.bad_upload', 'bad_request', phrase('directory:problem.onePhoto')),
        );
      } else if (error) reject(error as Error);
      else resolve();
    });
  });
}

/** `?v=` changes with the photo, so browsers may cache each version for a long time. */
async function photoUrls(photos: PhotoStore, userIds: readonly string[]): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  for (const [id, version] of await photos.versions(userIds)) {
    urls.set(id, `/directory/profiles/${id}/photo?v=${version}`);
  }
  return urls;
}

const practitioner = requireRole('therapist', 'peer_supporter');

/** The directory's filters (the feature's schema decides what they mean). */
const FILTER_FIELDS = {
  specialty: fields.text(),
  approach: fields.text(),
  language: fields.text(),
  format: fields.text(),
  location: fields.text(),
  kind: fields.text(),
  openWithinDays: fields.text(),
};

/** The practice-profile form. */
const PROFILE_FIELDS = {
  bio: fields.longText(),
  specialties: fields.list(),
  approaches: fields.list(),
  formats: fields.list(),
  times: fields.list(),
  languages: fields.text(),
  acceptingNewClients: fields.text(),
  licenceType: fields.text(),
  licenceNumber: fields.text(),
  licenceJurisdiction: fields.text(),
  licenceExpiresOn: fields.text(),
};
const admin = requireRole('admin');

/** The directory, one profile, a practitioner's own profile form, and the admin's licence check. */
export function directoryRoutes(deps: DirectoryRoutesDeps): Router {
  const { directory } = deps;
  const router = Router();

  const mayBrowse: RequestHandler = (req, res, next) => {
    if (canBrowseDirectory(req.user ?? null, deps.visibility)) return next();
    if (req.method === 'GET' && req.session) req.session.returnTo = req.originalUrl;
    res.redirect(302, '/sign-in');
  };

  router.get(
    '/directory',
    mayBrowse,
    endpoint({ query: FILTER_FIELDS }, async ({ query }, _req, res) => {
      const parsed = directoryFilterSchema.safeParse(query);
      const filter = parsed.success ? parsed.data : {};
      let profiles = await directory.search(filter);
      const nextSlots = await directory.nextOpenSlots(profiles);
      if (filter.openWithinDays) {
        const until = Date.now() + filter.openWithinDays * 86_400_000;
        profiles = profiles.filter((p) => (nextSlots.get(p.userId)?.getTime() ?? Infinity) <= until);
      }
      res.render('directory/index', {
        nextSlots,
        photoUrls: await photoUrls(
          deps.photos,
          profiles.map((p) => p.userId),
        ),
        filter,
        therapists: profiles.filter((p) => p.kind === 'therapist'),
        peers: profiles.filter((p) => p.kind === 'peer_supporter'),
        specialties: SPECIALTIES,
        approaches: APPROACHES,
        formats: FORMATS,
      });
    }),
  );

  router.get(
    '/directory/profiles/:userId',
    mayBrowse,
    endpoint({ params: { userId: fields.id } }, async ({ params }, req, res) => {
      const profile = await directory.profile(params.userId);
      if (!profile)
        throw new AppError('directory.no_profile', 'not_found', phrase('directory:problem.noSuchProfile'));
      res.render('directory/profile', {
        title: profile.displayName,
        profile,
        photoUrl: (await photoUrls(deps.photos, [profile.userId])).get(profile.userId) ?? null,
        canVerify: Boolean(req.user?.roles.includes('admin')) && req.user?.id !== profile.userId,
        errors: {},
      });
    }),
  );

  router.get(
    '/practice-profile',
    practitioner,
    endpoint({}, async (_input, req, res) => {
      const profile = await directory.profile(req.user!.id);
      const isTherapist = req.user!.roles.includes('therapist');
      // A licence the clinic checked with the invitation fills the licence fields until one is saved.
      const invited =
        isTherapist && !profile?.licence.number ? await directory.invitedLicenceFor(req.user!.id) : null;
      const locals = editLocals(isTherapist, profile, {});
      res.render('directory/edit', {
        ...locals,
        values: invited
          ? {
              ...locals.values,
              licenceType: invited.type ?? '',
              licenceNumber: invited.number ?? '',
              licenceJurisdiction: invited.jurisdiction ?? '',
              licenceExpiresOn: invited.expiresOn ?? '',
            }
          : locals.values,
        invitedLicence: Boolean(invited),
        photoUrl: (await photoUrls(deps.photos, [req.user!.id])).get(req.user!.id) ?? null,
      });
    }),
  );

  /** The photo, re-encoded by us; anyone who may browse the directory may see it. */
  router.get(
    '/directory/profiles/:userId/photo',
    mayBrowse,
    endpoint({ params: { userId: fields.id }, cacheable: true }, async ({ params }, _req, res) => {
      const { userId } = params;
      const photo = (await directory.profile(userId)) ? await deps.photos.read(userId) : null;
      if (!photo) throw new AppError('directory.no_photo', 'not_found', phrase('directory:problem.noPhoto'));
      res.setHeader('Content-Type', 'image/webp');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // Versioned URLs (?v=) change with the photo; a signed-in-only directory keeps it out of shared caches.
      res.setHeader('Cache-Control', `${deps.visibility === 'public' ? 'public' : 'private'}, max-age=86400`);
      res.send(photo);
    }),
  );

  /**
   * A practitioner replaces their own photo (there is no user id in the address: only the owner
   * can upload). Multipart, so the CSRF token comes as `?_csrf=`.
   */
  router.post(
    '/practice-profile/photo',
    practitioner,
    // Multipart: the photo is read inside (so a too-large file re-renders the form); no text fields.
    endpoint({}, async (_input, req, res, next) => {
      const user = req.user!;
      try {
        await readPhotoUpload(req, res);
        if (!req.file)
          throw new AppError(
            'directory.photo_missing',
            'bad_request',
            phrase('directory:problem.choosePhoto'),
          );
        await deps.photos.save(user.id, req.file.buffer);
        req.session.flash = pageT(res)('directory:flash.photoSaved');
        res.redirect(303, '/practice-profile');
      } catch (error) {
        const profile = await directory.profile(user.id);
        renderFormError(res, next, error, 'directory/edit', {
          ...editLocals(user.roles.includes('therapist'), profile, {}),
          photoUrl: (await photoUrls(deps.photos, [user.id])).get(user.id) ?? null,
        });
      }
    }),
  );

  router.post(
    '/practice-profile',
    practitioner,
    endpoint({ body: PROFILE_FIELDS }, async ({ body }, req, res, next) => {
      const actor = { id: req.user!.id, roles: req.user!.roles, ip: clientIp(req) };
      try {
        await directory.saveOwnProfile(actor, body);
        req.session.flash = pageT(res)('directory:flash.profileSaved');
        res.redirect(303, `/directory/profiles/${encodeURIComponent(actor.id)}`);
      } catch (error) {
        renderFormError(res, next, error, 'directory/edit', {
          ...editLocals(actor.roles.includes('therapist'), null, {}),
          values: body,
        });
      }
    }),
  );

  router.post(
    '/directory/profiles/:userId/verify-licence',
    admin,
    endpoint(
      { params: { userId: fields.id }, body: { method: fields.text() } },
      async ({ params, body }, req, res) => {
        const { userId } = params;
        await directory.verifyLicence(
          { id: req.user!.id, roles: req.user!.roles, ip: clientIp(req) },
          userId,
          body,
        );
        req.session.flash = pageT(res)('directory:flash.licenceVerified');
        res.redirect(303, `/directory/profiles/${encodeURIComponent(userId)}`);
      },
    ),
  );

  return router;
}

function editLocals(
  isTherapist: boolean,
  profile: Awaited<ReturnType<DirectoryService['profile']>>,
  errors: Record<string, string>,
) {
  return {
    isTherapist,
    photoMaxBytes: PHOTO_MAX_BYTES,
    profile,
    values: profile
      ? {
          bio: profile.bio,
          languages: profile.languages.join(', '),
          licenceType: profile.licence.type ?? '',
          licenceNumber: profile.licence.number ?? '',
          licenceJurisdiction: profile.licence.jurisdiction ?? '',
          licenceExpiresOn: profile.licence.expiresOn ?? '',
        }
      : {},
    chosen: {
      specialties: profile?.specialties ?? [],
      approaches: profile?.approaches ?? [],
      formats: profile?.formats ?? [],
      times: profile?.times ?? [],
      accepting: profile?.acceptingNewClients ?? true,
    },
    errors,
    specialties: SPECIALTIES,
    approaches: APPROACHES,
    formats: FORMATS,
    times: TIMES,
  };
}
