import { Router } from 'express';
import type { AccountsService } from '../../accounts';
import { requireRole } from '../middleware/auth';
import { clientIp, form, handle } from './route-helpers';

/** The clinic-wide switches accounts owns (name, self sign-up). The admin area adds its own page. */
export function clinicSettingsRoutes(accounts: AccountsService): Router {
  const router = Router();
  router.use('/admin/clinic-settings', requireRole('admin'));

  router.get(
    '/admin/clinic-settings',
    handle(async (_req, res) => {
      const settings = await accounts.clinic.get();
      res.render('accounts/clinic-settings', {
        title: 'Clinic settings',
        values: { clinicName: settings.clinicName ?? '', selfSignup: settings.selfSignup },
        errors: {},
      });
    }),
  );

  router.post(
    '/admin/clinic-settings',
    handle(async (req, res) => {
      const values = form(req);
      const clinicName = (values.clinicName ?? '').trim();
      if (clinicName.length < 1 || clinicName.length > 120) {
        res.status(400).render('accounts/clinic-settings', {
          title: 'Clinic settings',
          values: { clinicName, selfSignup: values.selfSignup === 'on' },
          errors: { clinicName: 'Enter the clinic name (up to 120 characters).' },
        });
        return;
      }
      await accounts.lifecycle.updateClinicSettings(
        req.user!,
        { clinicName, selfSignup: values.selfSignup === 'on' },
        clientIp(req),
      );
      req.session.flash = 'Clinic settings saved.';
      res.redirect(303, '/admin/clinic-settings');
    }),
  );
  return router;
}
