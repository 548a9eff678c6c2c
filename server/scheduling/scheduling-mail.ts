import type { Transaction } from 'sequelize';
import type { Outbox, OutgoingEmail } from '../mail';
import { buildIcs, uidFor, type IcsEvent } from './ics';
import type { Appointment, PeopleDirectory, SchedulingPerson } from './scheduling.types';
import { formatDateTime, zoneLabel } from './time-zones';

/**
 * Composes and queues scheduling emails. What goes in is deliberately thin: the clinic's name, the
 * time in the recipient's zone (zone named), the format and a link to the clinic's own site. Never a
 * reason for visit, an appointment-type name, a therapist's specialty or a client's name — an inbox
 * or a synced calendar is not a safe place for any of those.
 */
export type MailKind = 'booked' | 'requested' | 'approved' | 'declined' | 'changed' | 'cancelled';

export interface SchedulingMailOptions {
  readonly publicUrl: string;
  readonly clinicName: string;
}

const FORMAT_WORDS = { video: 'video call', audio: 'audio call', chat: 'text chat' } as const;

export class SchedulingMailer {
  readonly #outbox: Outbox;
  readonly #people: PeopleDirectory;
  readonly #options: SchedulingMailOptions;

  constructor(outbox: Outbox, people: PeopleDirectory, options: SchedulingMailOptions) {
    this.#outbox = outbox;
    this.#people = people;
    this.#options = options;
  }

  appointmentUrl(id: string): string {
    return `${this.#options.publicUrl}/appointments/${id}`;
  }

  /** The calendar entry for an appointment, as every email and feed shows it. */
  icsEvent(a: Appointment, stamp: Date): IcsEvent {
    return {
      uid: uidFor(a.id, this.#options.publicUrl),
      sequence: a.sequence,
      start: a.start,
      end: a.end,
      summary: `Appointment – ${this.#options.clinicName}`,
      url: this.appointmentUrl(a.id),
      cancelled: a.status === 'cancelled' || a.status === 'declined',
      stamp,
    };
  }

  /**
   * The people to write to, looked up BEFORE the caller opens its transaction: a lookup inside it
   * would take a second pool connection while holding one, and under load (PostgreSQL, pool of 10)
   * every connection ends up held by a transaction waiting for another — a pool deadlock.
   */
  async recipients(ids: readonly string[]): Promise<SchedulingPerson[]> {
    const people = await Promise.all([...new Set(ids)].map((id) => this.#people.byId(id)));
    return people.filter((p): p is SchedulingPerson => p !== null && p.active);
  }

  #when(a: Appointment, person: SchedulingPerson): string {
    return `${formatDateTime(a.start, person.timeZone)} (${zoneLabel(person.timeZone, a.start)})`;
  }

  #withWhom(a: Appointment, person: SchedulingPerson, therapist: SchedulingPerson | undefined): string {
    if (person.id === a.therapistId) return a.clientIds.length > 1 ? 'with your clients' : 'with your client';
    return therapist ? `with ${therapist.displayName}` : '';
  }

  #text(lines: readonly string[], a: Appointment): string {
    return [
      ...lines,
      '',
      `Details, changes and joining: ${this.appointmentUrl(a.id)}`,
      '',
      `— ${this.#options.clinicName}`,
      'You receive this because you have an appointment. Sign in to see the details.',
    ].join('\n');
  }

  /** Queues one email per participant about a change to an appointment. */
  async notify(
    kind: MailKind,
    a: Appointment,
    now: Date,
    transaction: Transaction,
    recipients: readonly SchedulingPerson[],
  ): Promise<void> {
    const therapist = recipients.find((p) => p.id === a.therapistId);
    const clinic = this.#options.clinicName;
    for (const person of recipients.filter((p) => p.id === a.therapistId || a.clientIds.includes(p.id))) {
      const when = this.#when(a, person);
      const withWhom = this.#withWhom(a, person, therapist);
      const isTherapist = person.id === a.therapistId;
      let subject: string;
      let lines: string[];
      let method: 'REQUEST' | 'CANCEL' | null = 'REQUEST';
      switch (kind) {
        case 'booked':
        case 'approved':
          subject = `Appointment confirmed: ${when}`;
          lines = [`Your appointment ${withWhom} at ${clinic} is confirmed for ${when}.`];
          break;
        case 'requested':
          subject = `Appointment requested: ${when}`;
          lines = isTherapist
            ? [`A client asked for an appointment on ${when}. Please approve or decline it in ${clinic}.`]
            : [`You asked for an appointment ${withWhom} on ${when}. You will hear once it is confirmed.`];
          method = null;
          break;
        case 'declined':
          subject = `Appointment request not accepted: ${when}`;
          lines = [`The appointment request for ${when} could not be accepted. Please choose another time.`];
          method = null;
          break;
        case 'changed':
          subject = `Appointment moved: now ${when}`;
          lines = [`Your appointment ${withWhom} at ${clinic} has moved to ${when}.`];
          break;
        case 'cancelled':
          subject = `Appointment cancelled: ${when}`;
          lines = [`Your appointment ${withWhom} at ${clinic} on ${when} has been cancelled.`];
          method = 'CANCEL';
          break;
      }
      if (kind !== 'cancelled' && kind !== 'declined') lines.push(`It is a ${FORMAT_WORDS[a.format]}.`);
      await this.#enqueue(
        {
          to: person.email,
          subject,
          text: this.#text(lines, a),
          idempotencyKey: `appointment:${a.id}:${kind}:${a.sequence}:${person.id}`,
          ...(method ? { attachments: [this.#attachment([this.icsEvent(a, now)], method)] } : {}),
        },
        transaction,
      );
    }
  }

  /**
   * One email per participant for several occurrences at once (a new series, or the rest of a series
   * cancelled), with one calendar file holding every occurrence.
   */
  async notifySeries(
    key: string,
    occurrences: readonly Appointment[],
    now: Date,
    transaction: Transaction,
    kind: 'created' | 'changed' | 'cancelled',
    recipients: readonly SchedulingPerson[],
  ): Promise<void> {
    const first = occurrences[0];
    if (!first) return;
    const therapist = recipients.find((p) => p.id === first.therapistId);
    const verb = { created: 'booked', changed: 'moved', cancelled: 'cancelled' }[kind];
    for (const person of recipients.filter(
      (p) => p.id === first.therapistId || first.clientIds.includes(p.id),
    )) {
      const list = occurrences.map((a) => `  • ${this.#when(a, person)}`);
      await this.#enqueue(
        {
          to: person.email,
          subject: `${occurrences.length} appointments ${verb}, starting ${this.#when(first, person)}`,
          text: this.#text(
            [
              `These appointments ${this.#withWhom(first, person, therapist)} at ${this.#options.clinicName} are ${{ created: 'confirmed', changed: 'now at these times', cancelled: 'cancelled' }[kind]}:`,
              ...list,
            ],
            first,
          ),
          idempotencyKey: `series:${key}:${kind}:${person.id}`,
          attachments: [
            this.#attachment(
              occurrences.map((a) => this.icsEvent(a, now)),
              kind === 'cancelled' ? 'CANCEL' : 'REQUEST',
            ),
          ],
        },
        transaction,
      );
    }
  }

  /** A reminder for one offset; the key makes it once-only per appointment time, even across restarts. */
  async remind(
    a: Appointment,
    offsetMinutes: number,
    now: Date,
    transaction: Transaction,
    recipients: readonly SchedulingPerson[],
  ): Promise<number> {
    let queued = 0;
    const therapist = recipients.find((p) => p.id === a.therapistId);
    for (const person of recipients.filter((p) => p.id === a.therapistId || a.clientIds.includes(p.id))) {
      const when = this.#when(a, person);
      const added = await this.#enqueue(
        {
          to: person.email,
          subject: `Reminder: appointment ${when}`,
          text: this.#text(
            [
              `A reminder of your appointment ${this.#withWhom(a, person, therapist)} at ${this.#options.clinicName} on ${when}.`,
              `It is a ${FORMAT_WORDS[a.format]}; the Join button opens shortly before the start.`,
            ],
            a,
          ),
          idempotencyKey: `appointment:${a.id}:reminder:${offsetMinutes}:${a.start.toISOString()}:${person.id}`,
          attachments: [this.#attachment([this.icsEvent(a, now)], 'REQUEST')],
        },
        transaction,
      );
      if (added) queued += 1;
    }
    return queued;
  }

  #attachment(events: IcsEvent[], method: 'REQUEST' | 'CANCEL') {
    return {
      filename: method === 'CANCEL' ? 'cancellation.ics' : 'appointment.ics',
      contentType: `text/calendar; charset=utf-8; method=${method}`,
      content: buildIcs(events, { calendarName: this.#options.clinicName, method }),
    };
  }

  #enqueue(email: OutgoingEmail, transaction: Transaction): Promise<boolean> {
    return this.#outbox.enqueue(email, transaction);
  }
}
