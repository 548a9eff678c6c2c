import type { Transaction } from 'sequelize';
import { DateTime } from 'luxon';
import { AppError, phrase } from '../shared/errors';
import { blockOf } from './availability';
import {
  activeType,
  auditAppointment,
  checkClients,
  DAY,
  insertAppointment,
  parse,
  scheduleOrThrow,
  type BookingDeps,
} from './booking-steps';
import { newId } from '../shared/ids';
import { checkOccurrences, expandRecurrence, type OccurrenceCheck } from './recurrence';
import { policyOf } from './schedule.service';
import { seriesSchema, type SeriesInput } from './scheduling.schemas';
import { canActAsTherapist, canBookForClient, canViewAppointment, isActive } from './scheduling.policy';
import type { Actor, Appointment } from './scheduling.types';

/** Blocking conflicts; "outside your usual hours" is only a warning when a therapist books. */
const blocking = (c: OccurrenceCheck) => c.conflicts.some((r) => r !== 'outside_availability');

/** A series planned from the therapist's own calendar: every occurrence and its conflicts. */
export async function planSeries(
  d: BookingDeps,
  actor: Actor,
  data: ReturnType<typeof seriesSchema.parse>,
  transaction?: Transaction,
) {
  const schedule = await scheduleOrThrow(d, actor.id, transaction);
  const type = await activeType(d, data.typeId, transaction);
  const starts = expandRecurrence({
    firstStart: data.start,
    timeZone: schedule.timeZone,
    frequency: data.frequency,
    count: data.count ?? null,
    until: data.until ?? null,
  });
  const last = starts[starts.length - 1] ?? data.start;
  const busy = await d.repo.busyBlocks(
    actor.id,
    new Date(data.start.getTime() - DAY),
    new Date(last.getTime() + DAY),
    transaction,
  );
  const checks = checkOccurrences({
    starts,
    durationMinutes: type.durationMinutes,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    policy: policyOf(schedule),
    busy,
    now: d.clock.now(),
  });
  return { schedule, type, checks };
}

/** Every occurrence of a planned series with its conflicts, shown before anything is created. */
export async function previewSeries(
  d: BookingDeps,
  actor: Actor,
  input: SeriesInput,
): Promise<OccurrenceCheck[]> {
  if (!canBookForClient(actor, actor.id)) throw new AppError('appointment.forbidden', 'forbidden');
  const data = parse(seriesSchema, input, 'series.invalid');
  return (await planSeries(d, actor, data)).checks;
}

/**
 * Creates a series. Occurrences with blocking conflicts stop the creation unless `skipConflicts`;
 * a slot taken between preview and creation rolls the whole series back (slot claims).
 */
export async function createSeries(
  d: BookingDeps,
  actor: Actor,
  input: SeriesInput,
): Promise<{ seriesId: string; created: Appointment[]; skipped: Date[] }> {
  if (!canBookForClient(actor, actor.id)) throw new AppError('appointment.forbidden', 'forbidden');
  const data = parse(seriesSchema, input, 'series.invalid');
  const type = await activeType(d, data.typeId);
  await checkClients(d, actor.id, type, data.clientIds);
  const recipients = await d.mailer.recipients([actor.id, ...data.clientIds]);
  return d.sequelize.transaction(async (transaction) => {
    const { schedule, checks } = await planSeries(d, actor, data, transaction);
    const conflicted = checks.filter(blocking);
    if (conflicted.length > 0 && !data.skipConflicts) {
      throw new AppError(
        'series.conflicts',
        'conflict',
        phrase('scheduling:problem.seriesConflicts', { count: conflicted.length, n: conflicted.length }),
      );
    }
    const seriesId = newId();
    const now = d.clock.now();
    await d.repo.insertSeries(
      {
        id: seriesId,
        therapist_id: actor.id,
        frequency: data.frequency,
        occurrence_count: data.count ?? null,
        until_date: data.until ?? null,
        time_zone: schedule.timeZone,
        created_by: actor.id,
        created_at: now,
      },
      transaction,
    );
    const created: Appointment[] = [];
    for (const c of checks.filter((x) => !blocking(x))) {
      created.push(
        await insertAppointment(
          d,
          {
            therapistId: actor.id,
            type,
            clientIds: data.clientIds,
            start: c.start,
            status: 'confirmed',
            reason: undefined,
            bookedBy: actor,
            seriesId,
          },
          transaction,
        ),
      );
    }
    if (created.length === 0)
      throw new AppError(
        'series.nothing_to_create',
        'conflict',
        phrase('errors:schedule.everySessionConflicts'),
      );
    for (const a of created)
      await auditAppointment(d, actor, 'appointment.booked', a, transaction, { seriesId });
    await d.mailer.notifySeries(seriesId, created, now, transaction, 'created', recipients);
    return { seriesId, created, skipped: conflicted.map((c) => c.start) };
  });
}

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
    const targets = (await d.repo.seriesFrom(a.seriesId, a.start, transaction)).filter(isActive);
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
