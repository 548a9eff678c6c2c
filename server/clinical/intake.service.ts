import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import { TypedEmitter } from '../shared/typed-emitter';
import { ClinicalAccess, type ClinicalActor } from './clinical-access';
import { canManageConsentText, canReadClientRecord, canSubmitOwnAnswers } from './clinical.policy';
import { consentFormSchema, intakeFormSchema, parseOrThrow, safetyCheckSchema } from './clinical.schemas';
import type { ConsentVersion, IntakeRecord, IntakeRepository, SafetyCheck } from './intake.repository';
import type { MeasuresService, SubmitOutcome } from './measures.service';

/** Version 1 of the consent text until the clinic writes its own. */
export const DEFAULT_CONSENT_TEXT = `Consent to telehealth services

I agree to receive counselling and related services by secure video, audio and messaging ("telehealth").

I understand that:
- Telehealth has benefits (access from home) and risks (technology can fail; privacy depends partly on where I am). I will take sessions from a private place.
- My therapist may be unable to help in an emergency at a distance. I give my current location and a callback number at the start of every session so that help can be sent if needed.
- If I am in crisis I will call my local emergency number or a crisis line rather than wait for a session.
- My records are kept confidential and encrypted, within the limits set by law (for example, risk of serious harm to myself or others).
- I may withdraw this consent at any time by telling the clinic.`;

/** How long a consent text the clinic writes may be, in characters. */
const CONSENT_LENGTH = { min: 50, max: 50_000 } as const;

/** The built-in English text, version 1, until the clinic writes its own. */
const BUILT_IN_CONSENT: ConsentVersion = {
  version: 1,
  language: 'en',
  body: DEFAULT_CONSENT_TEXT,
  createdAt: new Date(0),
};

/** The languages the clinic offers, and the one it falls back to (its default). */
export interface ConsentLanguages {
  offered(): readonly string[];
  clinicDefault(): string;
}

export interface IntakeInput {
  readonly form: Readonly<Record<string, unknown>>;
  readonly phq9: { answers: readonly number[]; difficulty?: SubmitOutcome['result']['difficulty'] };
  readonly gad7: { answers: readonly number[]; difficulty?: SubmitOutcome['result']['difficulty'] };
  /** The language the client reads Haven in: the consent they must have signed is the one in it. */
  readonly language?: string;
}

/** What the intake service reports upward (ids only, never the answers). */
export interface IntakeEvents {
  /** A client confirmed where they are for one appointment (the therapist's room panel updates). */
  safetyCheckRecorded: [{ clientId: string; appointmentId: string }];
}

/** Telehealth consent (versioned), intake answers with the first PHQ-9 and GAD-7, safety checks. */
export class IntakeService extends TypedEmitter<IntakeEvents> {
  readonly #sequelize: Sequelize;
  readonly #repo: IntakeRepository;
  readonly #measures: MeasuresService;
  readonly #access: ClinicalAccess;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #languages: ConsentLanguages;

  constructor(deps: {
    sequelize: Sequelize;
    intake: IntakeRepository;
    measures: MeasuresService;
    access: ClinicalAccess;
    audit: AuditTrail;
    clock: Clock;
    logger: Logger;
    languages?: ConsentLanguages;
  }) {
    super(deps.logger);
    this.#sequelize = deps.sequelize;
    this.#repo = deps.intake;
    this.#measures = deps.measures;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#languages = deps.languages ?? { offered: () => ['en'], clinicDefault: () => 'en' };
  }

  /**
   * The consent text a client reading Haven in `language` signs now: the clinic's text in that
   * language, else in the clinic's default language, else its English text, else the built-in
   * English version 1. Its `language` says which one it is (the page tells the reader when it is
   * not theirs).
   */
  async currentConsent(language?: string, transaction?: Transaction): Promise<ConsentVersion> {
    const order = [...new Set([language, this.#languages.clinicDefault(), 'en'])];
    for (const candidate of order) {
      if (!candidate) continue;
      const found = await this.#repo.latestConsent(candidate, transaction);
      if (found) return found;
    }
    return BUILT_IN_CONSENT;
  }

  /** The clinic's current text in each language it offers (null where it has written none yet). */
  async consentTexts(): Promise<Array<{ language: string; consent: ConsentVersion | null }>> {
    return Promise.all(
      this.#languages.offered().map(async (language) => ({
        language,
        consent:
          (await this.#repo.latestConsent(language)) ??
          (language === BUILT_IN_CONSENT.language ? BUILT_IN_CONSENT : null),
      })),
    );
  }

  /**
   * An admin changes the consent text in one language: a new version of that language's text, so
   * every client who reads Haven in it is asked to sign again; other languages are untouched.
   */
  async setConsentText(actor: ClinicalActor, body: string, language?: string): Promise<ConsentVersion> {
    if (!canManageConsentText(actor)) throw new AppError('clinical.forbidden', 'forbidden');
    const lang = language ?? this.#languages.clinicDefault();
    if (!this.#languages.offered().includes(lang)) {
      throw new AppError(
        'clinical.consent_language',
        'bad_request',
        phrase('clinical:problem.consentLanguage'),
        { language: phrase('clinical:problem.consentLanguage') },
      );
    }
    const text = body.replace(/\r\n/g, '\n').trim();
    if (text.length < CONSENT_LENGTH.min || text.length > CONSENT_LENGTH.max) {
      throw new AppError(
        'clinical.consent_length',
        'bad_request',
        phrase('clinical:problem.consentLength', CONSENT_LENGTH),
      );
    }
    return this.#sequelize.transaction(async (tx) => {
      const latest = await this.#repo.latestConsent(lang, tx);
      if (latest && latest.body === text) return latest;
      // The built-in text counts as version 1 even though no row holds it, so the first real row is 2.
      const highest = Math.max(BUILT_IN_CONSENT.version, await this.#repo.highestConsentVersion(tx));
      const next: ConsentVersion = {
        version: highest + 1,
        language: lang,
        body: text,
        createdAt: this.#clock.now(),
      };
      await this.#repo.insertConsent(next, actor.id, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'consent.text_changed',
          targetType: 'consent_version',
          targetId: String(next.version),
          ip: actor.ip ?? null,
          details: { language: lang, version: next.version },
        },
        tx,
      );
      return next;
    });
  }

  /**
   * True while the client has not signed the text they would be shown in `language` (including
   * after that text changed, or after they switched to a language whose text they have not signed).
   */
  async needsConsent(clientId: string, language?: string): Promise<boolean> {
    const { version } = await this.currentConsent(language);
    return !(await this.#repo.hasSignatureFor(clientId, version));
  }

  /** The client signs the text shown to them in `language`; the signature records its language and version. */
  async signConsent(
    actor: ClinicalActor,
    input: Readonly<Record<string, unknown>>,
    language?: string,
  ): Promise<void> {
    await this.#access.require(actor, actor.id, 'consent', (f) => canSubmitOwnAnswers(actor, f));
    const { typedName, version } = parseOrThrow(consentFormSchema, input, 'clinical.consent_invalid');
    const current = await this.currentConsent(language);
    if (version !== current.version) {
      throw new AppError('clinical.consent_changed', 'conflict', phrase('clinical:problem.consentChanged'));
    }
    const signature = {
      id: newId(),
      clientId: actor.id,
      version,
      typedName,
      signedAt: this.#clock.now(),
      ip: actor.ip ?? null,
      language: current.language,
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insertSignature(signature, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'consent.signed',
          targetType: 'consent_signature',
          targetId: signature.id,
          subjectId: actor.id,
          ip: actor.ip ?? null,
          details: { version, language: current.language },
        },
        tx,
      );
    });
  }

  hasIntake(clientId: string): Promise<boolean> {
    return this.#repo.hasIntake(clientId);
  }

  /**
   * Saves the intake and the first PHQ-9 and GAD-7 in one transaction: a half-saved intake would
   * leave the therapist without the baseline that "change since intake" is measured from.
   */
  async submitIntake(
    actor: ClinicalActor,
    input: IntakeInput,
  ): Promise<{ intake: IntakeRecord; crisis: boolean }> {
    await this.#access.require(actor, actor.id, 'intake', (f) => canSubmitOwnAnswers(actor, f));
    if (await this.needsConsent(actor.id, input.language)) {
      throw new AppError('clinical.consent_required', 'conflict', phrase('clinical:problem.consentFirst'));
    }
    const form = parseOrThrow(intakeFormSchema, input.form, 'clinical.intake_invalid');
    const intake: IntakeRecord = { ...form, id: newId(), clientId: actor.id, submittedAt: this.#clock.now() };
    return this.#sequelize.transaction(async (tx) => {
      await this.#repo.insertIntake(intake, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'intake.submitted',
          targetType: 'intake_record',
          targetId: intake.id,
          subjectId: actor.id,
          ip: actor.ip ?? null,
        },
        tx,
      );
      const phq = await this.#measures.submitChecked(
        actor,
        actor.id,
        { measure: 'phq9', source: 'intake', ...input.phq9 },
        tx,
      );
      const gad = await this.#measures.submitChecked(
        actor,
        actor.id,
        { measure: 'gad7', source: 'intake', ...input.gad7 },
        tx,
      );
      return { intake, crisis: phq.crisis || gad.crisis };
    });
  }

  async intakeOf(actor: ClinicalActor, clientId: string): Promise<IntakeRecord | null> {
    const facts = await this.#access.require(actor, clientId, 'intake_record', (f) =>
      canReadClientRecord(actor, f),
    );
    return this.#sequelize.transaction(async (tx) => {
      const intake = await this.#repo.latestIntake(clientId, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'intake.read',
          targetType: 'intake_record',
          targetId: intake?.id ?? null,
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: ClinicalAccess.via(actor, facts),
        },
        tx,
      );
      return intake;
    });
  }

  /** Start-of-session check: where the client is now and how to call them back. */
  async recordSafetyCheck(
    actor: ClinicalActor,
    input: Readonly<Record<string, unknown>>,
  ): Promise<SafetyCheck> {
    await this.#access.require(actor, actor.id, 'safety_check', (f) => canSubmitOwnAnswers(actor, f));
    const form = parseOrThrow(safetyCheckSchema, input, 'clinical.safety_check_invalid');
    const check: SafetyCheck = {
      id: newId(),
      clientId: actor.id,
      appointmentId: form.appointmentId || null,
      location: form.location,
      callbackNumber: form.callbackNumber,
      atHome: form.atHome,
      createdAt: this.#clock.now(),
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insertSafetyCheck(check, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'safety_check.recorded',
          targetType: 'safety_check',
          targetId: check.id,
          subjectId: actor.id,
          ip: actor.ip ?? null,
        },
        tx,
      );
    });
    // After the commit, so whoever reads it on hearing this finds it.
    if (check.appointmentId) {
      this.emit('safetyCheckRecorded', { clientId: check.clientId, appointmentId: check.appointmentId });
    }
    return check;
  }

  /**
   * For billing's place of service (10 at home, 02 elsewhere): whether the client said they were at
   * home in this appointment's check; null when there is no check or they did not say. Only the yes
   * or no leaves clinical (never the place); the read is a system read, audited for its purpose.
   */
  async atHomeFor(clientId: string, appointmentId: string): Promise<boolean | null> {
    const check = await this.#repo.latestSafetyCheck(clientId, undefined, appointmentId);
    if (!check) return null;
    await this.#audit.record({
      actorId: null,
      action: 'safety_check.read_for_billing',
      targetType: 'safety_check',
      targetId: check.id,
      subjectId: clientId,
      ip: null,
    });
    return check.atHome;
  }

  /**
   * Has this client confirmed the safety check for this appointment? For the treating therapist's
   * "today" page (a yes or no; the answer itself is read, and audited, in the room).
   */
  async clientConfirmedSafetyCheck(
    actor: ClinicalActor,
    clientId: string,
    appointmentId: string,
  ): Promise<boolean> {
    await this.#access.require(actor, clientId, 'safety_check', (f) => canReadClientRecord(actor, f));
    return this.#repo.hasSafetyCheckFor(clientId, appointmentId);
  }

  /** Has this client confirmed where they are for this appointment? (the rooms feature asks first) */
  async hasConfirmedSafetyCheck(clientId: string, appointmentId: string): Promise<boolean> {
    return this.#repo.hasSafetyCheckFor(clientId, appointmentId);
  }

  /**
   * The latest check, or with `appointmentId` the one confirmed for that session (shown to the
   * therapist in the live room). Audited like any read of the record.
   */
  async latestSafetyCheck(
    actor: ClinicalActor,
    clientId: string,
    appointmentId?: string,
  ): Promise<SafetyCheck | null> {
    const facts = await this.#access.require(actor, clientId, 'safety_check', (f) =>
      canReadClientRecord(actor, f),
    );
    return this.#sequelize.transaction(async (tx) => {
      const check = await this.#repo.latestSafetyCheck(clientId, tx, appointmentId);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'safety_check.read',
          targetType: 'safety_check',
          targetId: check?.id ?? null,
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: ClinicalAccess.via(actor, facts),
        },
        tx,
      );
      return check;
    });
  }
}
