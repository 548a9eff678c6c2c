import type { Transaction } from 'sequelize';
import type { SchedulingRepository } from './scheduling.repository';
import type { Actor, Appointment, AppointmentStatus, CareLookup } from './scheduling.types';

/**
 * How care begins and ends with appointments: the one rule every way of confirming or cancelling an
 * appointment goes through (client booking, a therapist's approval, a therapist's own booking, series).
 *
 * **A confirmed appointment makes its therapist a treating therapist of each client in it, at once.**
 * Confirmation is the therapist's consent: a therapist who books directly has said, by taking new
 * clients with "clients book directly", that a free slot is theirs to take; one who wants to screen
 * new clients sets "clients request, I approve", and care then begins with the approval. A separate
 * "pending care" step would ask the therapist the same question twice. From that moment the
 * therapist can read the client's intake and safety check, admit them to the room and message them,
 * exactly as if an admin had assigned them; the audit trail records `care.assigned` with
 * `via: appointment`.
 *
 * **Cancelling or declining the appointment that began care ends that care again, if nothing else
 * happened between the two** (no other confirmed, completed or no-show appointment): a client who
 * books and then cancels their only intake does not stay in the therapist's caseload. Care an admin
 * assigned is never ended by scheduling.
 */

/** What the rule needs (BookingDeps fits). */
export interface CareRuleDeps {
  readonly care: CareLookup | null;
  readonly repo: Pick<SchedulingRepository, 'countBetween'>;
}

/** Appointments that show the two have (or had) a working relationship. */
const HELD: readonly AppointmentStatus[] = ['confirmed', 'completed', 'no_show'];

export async function careFollowsConfirmation(
  d: CareRuleDeps,
  a: Appointment,
  actor: Actor,
  transaction: Transaction,
): Promise<void> {
  if (!d.care || a.status !== 'confirmed') return;
  for (const clientId of a.clientIds) {
    await d.care.beginWithAppointment(
      { therapistId: a.therapistId, clientId, appointmentId: a.id, actorId: actor.id, ip: actor.ip ?? null },
      transaction,
    );
  }
}

export async function careFollowsCancellation(
  d: CareRuleDeps,
  a: Appointment,
  actor: Actor,
  transaction: Transaction,
): Promise<void> {
  if (!d.care) return;
  for (const clientId of a.clientIds) {
    if ((await d.repo.countBetween(a.therapistId, clientId, HELD, a.id, transaction)) > 0) continue;
    await d.care.endBegunWith(
      { therapistId: a.therapistId, clientId, appointmentId: a.id, actorId: actor.id, ip: actor.ip ?? null },
      transaction,
    );
  }
}
