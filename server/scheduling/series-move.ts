import { DateTime } from 'luxon';
import { AppError } from '../shared/errors';
import { blockOf } from './availability';
import type { BookingDeps } from './booking.service';
import { canActAsTherapist, canViewAppointment } from './scheduling.policy';
import type { Actor, Appointment } from './scheduling.types';

/**
 * "Change the rest of the series": moves an occurrence and every later active one by the same
 * wall-clock change in the therapist's zone (e.g. Tuesdays 10:00 → Wednesdays 11:30), so DST is
 * respected for each week. All-or-nothing: claims are released and re-taken in one transaction, and
 * one taken slot rolls the whole move back. Therapist only (it changes every client's calendar).
 */
export async function moveSeriesFrom(
  d: BookingDeps,
  actor: Actor,
  id: string,
  start: Date,
): Promise<Appointment[]> {
  const before = await d.repo.byId(id);
  const recipients = before ? await d.mailer.recipients([before.therapistId, ...before.clientIds]) : [];
  return d.sequelize.transaction(async (transaction) => {
    const a = await d.repo.byId(id, transaction);
    if (!a || !canViewAppointment(actor, a)) throw new AppError('appointment.not_found', 'not_found');
    if (!canActAsTherapist(actor, a)) throw new AppError('appointment.forbidden', 'forbidden');
    if (!a.seriesId) throw new AppError('appointment.not_in_series', 'bad_request');
    const type = await d.repo.typeById(a.typeId, transaction);
    if (!type) throw new AppError('appointment_type.not_found', 'not_found');
    const zone = (await d.repo.scheduleOf(a.therapistId, transaction))?.timeZone ?? 'UTC';
    const now = d.clock.now();
    const from = DateTime.fromJSDate(a.start, { zone });
    const to = DateTime.fromJSDate(start, { zone });
    const dayShift = Math.round(to.startOf('day').diff(from.startOf('day'), 'days').days);
    const targets = (await d.repo.seriesFrom(a.seriesId, a.start, transaction)).filter(
      (x) => x.status === 'confirmed' || x.status === 'requested',
    );
    for (const t of targets) await d.repo.releaseClaims(t.id, transaction);
    const moved: Appointment[] = [];
    for (const t of targets) {
      const newStart = DateTime.fromJSDate(t.start, { zone })
        .plus({ days: dayShift })
        .set({ hour: to.hour, minute: to.minute, second: 0, millisecond: 0 })
        .toJSDate();
      if (newStart.getTime() <= now.getTime()) throw new AppError('appointment.in_the_past');
      const end = new Date(newStart.getTime() + type.durationMinutes * 60_000);
      const block = blockOf(newStart, end, type.bufferBeforeMinutes, type.bufferAfterMinutes);
      await d.repo.claim(t.id, t.therapistId, new Date(block.start), new Date(block.end), transaction);
      await d.repo.update(
        t.id,
        {
          start_at: newStart,
          end_at: end,
          block_start_at: new Date(block.start),
          block_end_at: new Date(block.end),
          bumpSequence: true,
          now,
        },
        transaction,
      );
      const done = (await d.repo.byId(t.id, transaction)) as Appointment;
      await d.audit.record(
        {
          actorId: actor.id,
          action: 'appointment.rescheduled',
          targetType: 'appointment',
          targetId: t.id,
          subjectId: t.clientIds[0] ?? null,
          ip: actor.ip ?? null,
          details: { scope: 'rest', from: t.start.toISOString(), to: newStart.toISOString() },
        },
        transaction,
      );
      moved.push(done);
    }
    await d.mailer.notifySeries(
      `${a.seriesId}:move:${a.id}:${a.sequence}`,
      moved,
      now,
      transaction,
      'changed',
      recipients,
    );
    return moved;
  });
}
