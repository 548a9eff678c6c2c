import { Router, type RequestHandler } from 'express';
import {
  APPROACHES,
  canBrowseDirectory,
  directoryFilterSchema,
  FORMATS,
  SPECIALTIES,
  TIMES,
  type DirectoryService,
} from '../../directory';
import { AppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { clientIp, form, handle, renderFormError } from './route-helpers';

export interface DirectoryRoutesDeps {
  readonly directory: DirectoryService;
  readonly visibility: 'public' | 'signed_in';
}

const practitioner = requireRole('therapist', 'peer_supporter');
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
    handle(async (req, res) => {
      const parsed = directoryFilterSchema.safeParse(req.query);
      const filter = parsed.success ? parsed.data : {};
      let profiles = await directory.search(filter);
      const nextSlots = await directory.nextOpenSlots(profiles);
      if (filter.openWithinDays) {
        const until = Date.now() + filter.openWithinDays * 86_400_000;
        profiles = profiles.filter((p) => (nextSlots.get(p.userId)?.getTime() ?? Infinity) <= until);
      }
      res.render('directory/index', {
        nextSlots,
        title: 'Find a therapist',
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
    handle(async (req, res) => {
      const profile = await directory.profile(String(req.params.userId));
      if (!profile) throw new AppError('directory.no_profile', 'not_found', 'No such profile.');
      res.render('directory/profile', {
        title: profile.displayName,
        profile,
        canVerify: Boolean(req.user?.roles.includes('admin')) && req.user?.id !== profile.userId,
        errors: {},
      });
    }),
  );

  router.get(
    '/practice-profile',
    practitioner,
    handle(async (req, res) => {
      const profile = await directory.profile(req.user!.id);
      res.render('directory/edit', editLocals(req.user!.roles.includes('therapist'), profile, {}));
    }),
  );

  router.post(
    '/practice-profile',
    practitioner,
    handle(async (req, res, next) => {
      const actor = { id: req.user!.id, roles: req.user!.roles, ip: clientIp(req) };
      try {
        await directory.saveOwnProfile(actor, req.body ?? {});
        req.session.flash = 'Profile saved.';
        res.redirect(303, `/directory/profiles/${encodeURIComponent(actor.id)}`);
      } catch (error) {
        renderFormError(res, next, error, 'directory/edit', {
          ...editLocals(actor.roles.includes('therapist'), null, {}),
          values: form(req),
        });
      }
    }),
  );

  router.post(
    '/directory/profiles/:userId/verify-licence',
    admin,
    handle(async (req, res) => {
      const userId = String(req.params.userId);
      await directory.verifyLicence(
        { id: req.user!.id, roles: req.user!.roles, ip: clientIp(req) },
        userId,
        form(req),
      );
      req.session.flash = 'Licence marked verified.';
      res.redirect(303, `/directory/profiles/${encodeURIComponent(userId)}`);
    }),
  );

  return router;
}

function editLocals(
  isTherapist: boolean,
  profile: Awaited<ReturnType<DirectoryService['profile']>>,
  errors: Record<string, string>,
) {
  return {
    title: 'Your practice profile',
    isTherapist,
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
