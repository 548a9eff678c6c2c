import { AppError, phrase } from '../shared/errors';
import { auditAppointment, loadAppointment, participantsOf, type BookingDeps } from './booking-steps';
import { careFollowsCancellation, careFollowsConfirmation } from './care-rule';
import { canActAsTherapist, canViewAppointment } from './scheduling.policy';
import type { Actor, Appointment, AppointmentStatus } from './scheduling.types';

/**
 * The therapist's moves on one appointment: approve or decline a request, record a no-show, complete
 * it (the session was ended for everyone). Audited, mailed where the client must know, and passed
 * through the care rule (an approval begins care; a decline may end care the request never began).
 * A completed or missed appointment is told to the features above (`settled`) once committed.
 */
export async function therapistTransition(
  d: BookingDeps,
  actor: Actor,
  id: string,
  from: AppointmentStatus,
  to: AppointmentStatus,
  action: string,
): Promise<Appointment> {
  const recipients = await participantsOf(d, id);
  const done = await d.sequelize.transaction(async (transaction) => {
    const a = await loadAppointment(d, id, transaction);
    if (!canViewAppointment(actor, a)) throw new AppError('appointment.not_found', 'not_found');
    if (!canActAsTherapist(actor, a)) throw new AppError('appointment.forbidden', 'forbidden');
    if (a.status !== from) throw new AppError('appointment.wrong_status', 'conflict');
    const now = d.clock.now();
    if (to === 'no_show' && now < a.start)
      throw new AppError('appointment.not_started', 'conflict', phrase('errors:schedule.noShowTooEarly'));
    if (to === 'declined') await d.repo.releaseClaims(a.id, transaction);
    // Calendars need no update for what happened to a held appointment (no-show, completed).
    const held = to === 'no_show' || to === 'completed';
    await d.repo.update(a.id, { status: to, bumpSequence: !held, now }, transaction);
    const done = await loadAppointment(d, a.id, transaction);
    await auditAppointment(d, actor, action, done, transaction);
    if (to === 'confirmed') await careFollowsConfirmation(d, done, actor, transaction);
    if (to === 'declined') await careFollowsCancellation(d, done, actor, transaction);
    if (to === 'confirmed') await d.mailer.notify('approved', done, now, transaction, recipients);
    if (to === 'declined') await d.mailer.notify('declined', done, now, transaction, recipients);
    return done;
  });
  // After the commit: billing charges a held (completed or missed) appointment.
  if (to === 'completed' || to === 'no_show') d.events?.settled(done.id, done.status, false);
  return done;
}
