import type { MailWords } from '../mail';
import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { CareRepository } from './care.repository';
import type { ClinicalAccess, ClinicalActor } from './clinical-access';
import { canAcknowledgeAlert } from './clinical.policy';
import type { ClinicalSettings, OutboxPort, PeopleLookup } from './clinical.types';
import type { CrisisAlert, MeasuresRepository } from './measures.repository';

/** An open alert as a dashboard shows it: who, since when; never the answers. */
export interface AlertView extends CrisisAlert {
  readonly clientName: string;
}

/**
 * The crisis flow's staff side. An alert names a client who needs attention and stays on the
 * dashboard until someone acknowledges it. Its email says only that someone needs attention: mail
 * leaves the clinic's control, so it carries no name, no score and no answer.
 */
export class CrisisService {
  readonly #sequelize: Sequelize;
  readonly #repo: MeasuresRepository;
  readonly #care: CareRepository;
  readonly #access: ClinicalAccess;
  readonly #audit: AuditTrail;
  readonly #outbox: OutboxPort;
  readonly #people: PeopleLookup;
  readonly #settings: ClinicalSettings;
  readonly #clock: Clock;
  readonly #words: MailWords;

  constructor(deps: {
    sequelize: Sequelize;
    measures: MeasuresRepository;
    care: CareRepository;
    access: ClinicalAccess;
    audit: AuditTrail;
    outbox: OutboxPort;
    people: PeopleLookup;
    settings: ClinicalSettings;
    clock: Clock;
    /** The words of the alert email, per recipient language. */
    words: MailWords;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.measures;
    this.#care = deps.care;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#outbox = deps.outbox;
    this.#people = deps.people;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
    this.#words = deps.words;
  }

  /**
   * The crisis resources for a reader of `language`: the clinic's text for that language, else its
   * default text, else Haven's own sentence in the reader's language. Never nothing and never a
   * built-in English text to someone who reads another language: a person in crisis must read it.
   */
  resourcesFor(language: string): string {
    const clinics = this.#settings.crisisResourcesFor?.(language) ?? this.#settings.crisisResources;
    return clinics ?? this.#words(language)('clinical:crisis.resourcesDefault');
  }

  /**
   * Raises an alert inside the caller's transaction (the one saving the answers), and queues one
   * email per treating therapist; with no therapist assigned yet, the clinic's admins are told.
   */
  async raise(clientId: string, responseId: string, transaction: Transaction): Promise<CrisisAlert> {
    const alert: CrisisAlert = {
      id: newId(),
      clientId,
      createdAt: this.#clock.now(),
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    await this.#repo.insertAlert(alert, responseId, transaction);
    const recipients = await this.#recipients(clientId, transaction);
    for (const person of recipients) {
      // In the recipient's language; still no name, no score and no answer.
      const t = this.#words(person.language);
      await this.#outbox.enqueue(
        {
          to: person.email,
          subject: t('email:crisis.subject', { clinic: this.#settings.clinicName }),
          text: [
            t('email:crisis.hello', { name: person.displayName }),
            '',
            t('email:crisis.body'),
            `${this.#settings.publicUrl}/clinical`,
            '',
            t('email:crisis.privacy'),
          ].join('\n'),
          language: person.language,
          idempotencyKey: `crisis-alert:${alert.id}:${person.id}`,
        },
        transaction,
      );
    }
    await this.#audit.record(
      {
        actorId: null,
        action: 'crisis_alert.raised',
        targetType: 'crisis_alert',
        targetId: alert.id,
        subjectId: clientId,
        details: { notified: recipients.length },
      },
      transaction,
    );
    return alert;
  }

  async #recipients(clientId: string, transaction: Transaction) {
    const therapistIds = await this.#care.treatingTherapistIds(clientId, transaction);
    const people = therapistIds.length
      ? await Promise.all(therapistIds.map((id) => this.#people.byId(id)))
      : (await this.#people.list()).filter((u) => u.roles.includes('admin'));
    return people.filter((p) => p !== null && p.status === 'active') as NonNullable<
      (typeof people)[number]
    >[];
  }

  /** How many alerts nobody has acknowledged yet (the admin overview shows the number, no names). */
  async openCount(): Promise<number> {
    return (await this.#repo.openAlerts('all')).length;
  }

  /**
   * Open alerts for this person's dashboard: a therapist sees their clients'; an admin also sees
   * alerts for clients nobody treats yet (somebody must).
   */
  async openFor(actor: ClinicalActor): Promise<AlertView[]> {
    const alerts: CrisisAlert[] = [];
    if (actor.roles.includes('therapist')) {
      const clients = (await this.#care.clientsOf(actor.id)).map((c) => c.clientId);
      alerts.push(...(await this.#repo.openAlerts(clients)));
    }
    if (actor.roles.includes('admin')) {
      for (const alert of await this.#repo.openAlerts('all')) {
        if (alerts.some((a) => a.id === alert.id)) continue;
        if ((await this.#care.treatingTherapistIds(alert.clientId)).length === 0) alerts.push(alert);
      }
    }
    const views: AlertView[] = [];
    for (const alert of alerts) {
      const client = await this.#people.byId(alert.clientId);
      views.push({ ...alert, clientName: client?.displayName ?? 'Unknown client' });
    }
    // Seeing that a named client has an open alert is itself clinical information: audit each one.
    if (views.length > 0) {
      await this.#sequelize.transaction(async (transaction) => {
        for (const alert of views) {
          await this.#audit.record(
            {
              actorId: actor.id,
              action: 'crisis_alert.viewed',
              targetType: 'crisis_alert',
              targetId: alert.id,
              subjectId: alert.clientId,
              ip: actor.ip ?? null,
            },
            transaction,
          );
        }
      });
    }
    return views;
  }

  async acknowledge(actor: ClinicalActor, alertId: string): Promise<void> {
    const alert = await this.#repo.alertById(alertId);
    if (!alert)
      throw new AppError('clinical.alert_not_found', 'not_found', phrase('clinical:problem.noSuchAlert'));
    await this.#access.require(actor, alert.clientId, 'crisis_alert', (f) => canAcknowledgeAlert(actor, f));
    await this.#sequelize.transaction(async (transaction) => {
      const changed = await this.#repo.acknowledge(alertId, actor.id, this.#clock.now(), transaction);
      if (!changed) return; // someone else acknowledged it a moment ago: nothing more to do
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'crisis_alert.acknowledged',
          targetType: 'crisis_alert',
          targetId: alertId,
          subjectId: alert.clientId,
          ip: actor.ip ?? null,
        },
        transaction,
      );
    });
  }
}
