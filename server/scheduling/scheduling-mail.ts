import type { Transaction } from 'sequelize';
import type { MailWords, Outbox, OutgoingEmail, Translate } from '../mail';
import { buildIcs, uidFor, type IcsEvent } from './ics';
import type { Appointment, PeopleDirectory, SchedulingPerson } from './scheduling.types';
import { formatDateTime, localeForLanguage, zoneLabel } from './time-zones';

/**
 * Composes and queues scheduling emails, each in its recipient's language with the time in their
 * zone and their locale's format. What goes in is deliberately thin: the clinic's name, the time
 * (zone named), the format and a link to the clinic's own site. Never a reason for visit, an
 * appointment-type name, a therapist's specialty or a client's name — an inbox or a synced calendar
 * is not a safe place for any of those.
 */
export type MailKind = 'booked' | 'requested' | 'approved' | 'declined' | 'changed' | 'cancelled';

export interface SchedulingMailOptions {
  readonly publicUrl: string;
  readonly clinicName: string;
  /** The words of every email and calendar entry, per recipient language. */
  readonly words: MailWords;
}

/** One recipient's view: their words and how times read for them. */
interface Reader {
  readonly person: SchedulingPerson;
  readonly t: Translate;
}

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

  /** The calendar entry for an appointment, as every email and feed shows it, in `language`. */
  icsEvent(a: Appointment, stamp: Date, language: string): IcsEvent {
    const t = this.#options.words(language);
    const url = this.appointmentUrl(a.id);
    return {
      uid: uidFor(a.id, this.#options.publicUrl),
      sequence: a.sequence,
      start: a.start,
      end: a.end,
      summary: t('email:calendar.summary', { clinic: this.#options.clinicName }),
      description: t('email:calendar.description', { url }),
      url,
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

  #reader(person: SchedulingPerson): Reader {
    return { person, t: this.#options.words(person.language) };
  }

  /** `mié, 10 dic 2026, 15:00 (Europe/Madrid (CET))`: their zone, their locale's format, zone named. */
  #when(a: Appointment, { person }: Reader): string {
    return `${formatDateTime(a.start, person.timeZone, localeForLanguage(person.language))} (${zoneLabel(person.timeZone, a.start)})`;
  }

  /** 'with Dr Rivera', 'with your client(s)', or '' when the therapist is unknown. */
  #withWhom(a: Appointment, { person, t }: Reader, therapist: SchedulingPerson | undefined): string {
    if (person.id === a.therapistId) return t('email:appointment.withClients', { count: a.clientIds.length });
    return therapist ? t('email:appointment.withTherapist', { name: therapist.displayName }) : '';
  }

  #text(lines: readonly string[], a: Appointment, { t }: Reader): string {
    return [
      // A sentence whose "with whom" is empty (therapist unknown) would keep a double space.
      ...lines.map((line) => (line.startsWith('  •') ? line : line.replace(/ {2,}/g, ' '))),
      '',
      t('email:appointment.detailsLink', { url: this.appointmentUrl(a.id) }),
      '',
      `— ${this.#options.clinicName}`,
      t('email:appointment.whyYouGetThis'),
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
      const reader = this.#reader(person);
      const { t } = reader;
      const values = { when: this.#when(a, reader), withWhom: this.#withWhom(a, reader, therapist), clinic };
      const isTherapist = person.id === a.therapistId;
      // One key prefix per kind; a request reads differently for the therapist who must answer it.
      const key = {
        booked: 'confirmed',
        approved: 'confirmed',
        requested: isTherapist ? 'requestedOfTherapist' : 'requested',
        declined: 'declined',
        changed: 'moved',
        cancelled: 'cancelled',
      }[kind];
      const method = { booked: 'REQUEST', approved: 'REQUEST', changed: 'REQUEST', cancelled: 'CANCEL' }[
        kind as string
      ] as 'REQUEST' | 'CANCEL' | undefined;
      const lines = [t(`email:appointment.${key}.body`, values)];
      if (kind !== 'cancelled' && kind !== 'declined') lines.push(t(`email:appointment.format.${a.format}`));
      await this.#enqueue(
        {
          to: person.email,
          subject: t(`email:appointment.${key}.subject`, values),
          text: this.#text(lines, a, reader),
          language: person.language,
          idempotencyKey: `appointment:${a.id}:${kind}:${a.sequence}:${person.id}`,
          ...(method
            ? { attachments: [this.#attachment([this.icsEvent(a, now, person.language)], method)] }
            : {}),
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
    for (const person of recipients.filter(
      (p) => p.id === first.therapistId || first.clientIds.includes(p.id),
    )) {
      const reader = this.#reader(person);
      const { t } = reader;
      const values = {
        count: occurrences.length,
        when: this.#when(first, reader),
        withWhom: this.#withWhom(first, reader, therapist),
        clinic: this.#options.clinicName,
      };
      const list = occurrences.map((a) => `  • ${this.#when(a, reader)}`);
      await this.#enqueue(
        {
          to: person.email,
          subject: t(`email:series.${kind}.subject`, values),
          text: this.#text([t(`email:series.${kind}.body`, values), ...list], first, reader),
          language: person.language,
          idempotencyKey: `series:${key}:${kind}:${person.id}`,
          attachments: [
            this.#attachment(
              occurrences.map((a) => this.icsEvent(a, now, person.language)),
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
      const reader = this.#reader(person);
      const { t } = reader;
      const values = {
        when: this.#when(a, reader),
        withWhom: this.#withWhom(a, reader, therapist),
        clinic: this.#options.clinicName,
        format: t(`email:appointment.formatName.${a.format}`),
      };
      const added = await this.#enqueue(
        {
          to: person.email,
          subject: t('email:reminder.subject', values),
          text: this.#text([t('email:reminder.body', values), t('email:reminder.join', values)], a, reader),
          language: person.language,
          idempotencyKey: `appointment:${a.id}:reminder:${offsetMinutes}:${a.start.toISOString()}:${person.id}`,
          attachments: [this.#attachment([this.icsEvent(a, now, person.language)], 'REQUEST')],
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
