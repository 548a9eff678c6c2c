import { QueryTypes, type Transaction } from 'sequelize';
import { BatchLoader, forgetInRequest } from '../shared/request-scope';
import type { ClinicalModels } from './clinical.model';
import type { Sealer } from './sealer';

export interface ConsentVersion {
  /** One sequence across languages: a version number names one text. */
  readonly version: number;
  /** The language the text is written in (BCP 47). */
  readonly language: string;
  readonly body: string;
  readonly createdAt: Date;
}

export interface ConsentSignature {
  readonly id: string;
  readonly clientId: string;
  readonly version: number;
  readonly typedName: string;
  readonly signedAt: Date;
  readonly ip: string | null;
  /** The language of the text signed. */
  readonly language: string;
}

export interface IntakeAnswers {
  readonly emergencyContactName: string;
  readonly emergencyContactPhone: string;
  /** Where the client is (state/province and country); decides which licences fit. */
  readonly location: string;
  readonly reasons: string;
  readonly goals: string;
  /** Optional preferences for matching. */
  readonly preferredLanguage?: string;
  readonly preferredFormat?: string;
  readonly preferredApproach?: string;
  readonly topics?: readonly string[];
  readonly preferredTimes?: readonly string[];
}

export interface IntakeRecord extends IntakeAnswers {
  readonly id: string;
  readonly clientId: string;
  readonly submittedAt: Date;
}

export interface SafetyCheck {
  readonly id: string;
  readonly clientId: string;
  readonly appointmentId: string | null;
  readonly location: string;
  readonly callbackNumber: string;
  /** The client said they are at home (true), elsewhere (false), or did not say (null; older checks). */
  readonly atHome: boolean | null;
  readonly createdAt: Date;
}

export interface FeedbackRatings {
  readonly heard: number;
  readonly goals: number;
  readonly approach: number;
  readonly overall: number;
  readonly comment: string;
}

export interface Feedback extends FeedbackRatings {
  readonly id: string;
  readonly clientId: string;
  readonly therapistId: string;
  readonly appointmentId: string | null;
  readonly createdAt: Date;
}

/** Request-scope memo name of "has this client confirmed the check for this appointment?". */
const SAFETY_CONFIRMED = 'safety-confirmed';
/** Joins a client id and an appointment id (UUIDs, never containing it) into one batch key. */
const PAIR = '|';

/** Consent, intake, per-session safety checks and session feedback. */
export class IntakeRepository {
  readonly #m: ClinicalModels;
  readonly #sealer: Sealer;
  /**
   * Which (client, appointment) pairs have a confirmed check, for the pairs asked about in one turn
   * (a therapist's "today" asks for every client of the day's sessions): one statement for all.
   */
  readonly #confirmed: BatchLoader<true>;

  constructor(models: ClinicalModels, sealer: Sealer) {
    this.#m = models;
    this.#sealer = sealer;
    this.#confirmed = new BatchLoader(SAFETY_CONFIRMED, async (pairs) => {
      const appointmentIds = [...new Set(pairs.map((p) => p.split(PAIR)[1]!))];
      // Plain SQL and no decryption: only whether a row exists is read.
      const rows = await this.#m.safetyChecks.sequelize!.query<{ client_id: string; appointment_id: string }>(
        `SELECT DISTINCT client_id, appointment_id FROM session_safety_checks
          WHERE appointment_id IN (:appointmentIds)`,
        { replacements: { appointmentIds }, type: QueryTypes.SELECT },
      );
      return new Map(rows.map((r) => [`${r.client_id}${PAIR}${r.appointment_id}`, true as const]));
    });
  }

  /** The clinic's latest text in a language, or null when it has not written one in it. */
  async latestConsent(language: string, transaction?: Transaction): Promise<ConsentVersion | null> {
    const row = await this.#m.consentVersions.findOne({
      where: { language },
      order: [['version', 'DESC']],
      transaction,
    });
    if (!row) return null;
    const p = row.get({ plain: true });
    return { version: p.version, language: p.language, body: p.body, createdAt: new Date(p.created_at) };
  }

  /** The highest version number in any language (0 when the clinic has written none). */
  async highestConsentVersion(transaction?: Transaction): Promise<number> {
    const highest: unknown = await this.#m.consentVersions.max('version', { transaction });
    return typeof highest === 'number' ? highest : Number(highest ?? 0) || 0;
  }

  async insertConsent(v: ConsentVersion, by: string | null, transaction: Transaction): Promise<void> {
    await this.#m.consentVersions.create(
      { version: v.version, language: v.language, body: v.body, created_at: v.createdAt, created_by: by },
      { transaction },
    );
  }

  async insertSignature(s: ConsentSignature, transaction: Transaction): Promise<void> {
    await this.#m.consentSignatures.create(
      {
        id: s.id,
        client_id: s.clientId,
        version: s.version,
        typed_name_enc: this.#sealer.seal(s.typedName, 'consent_signatures', 'typed_name', s.id),
        signed_at: s.signedAt,
        ip: s.ip,
        language: s.language,
      },
      { transaction },
    );
  }

  async insertIntake(r: IntakeRecord, transaction: Transaction): Promise<void> {
    const { id, clientId, submittedAt, ...answers } = r;
    await this.#m.intakes.create(
      {
        id,
        client_id: clientId,
        answers_enc: this.#sealer.seal(answers, 'intake_records', 'answers', id),
        submitted_at: submittedAt,
      },
      { transaction },
    );
  }

  /** Plain SQL, and the first row is enough: the client's clinical page asks on every visit. */
  async hasIntake(clientId: string): Promise<boolean> {
    return this.#exists('SELECT 1 AS found FROM intake_records WHERE client_id = :clientId LIMIT 1', {
      clientId,
    });
  }

  /**
   * Whether the client signed this version (nothing opened: the signature's typed name stays
   * sealed). Plain SQL: the client's clinical pages ask on every visit.
   */
  async hasSignatureFor(clientId: string, version: number): Promise<boolean> {
    return this.#exists(
      'SELECT 1 AS found FROM consent_signatures WHERE client_id = :clientId AND version = :version LIMIT 1',
      { clientId, version },
    );
  }

  async #exists(sql: string, replacements: Record<string, string | number>): Promise<boolean> {
    const rows = await this.#m.intakes.sequelize!.query(sql, { replacements, type: QueryTypes.SELECT });
    return rows.length > 0;
  }

  async latestIntake(clientId: string, transaction?: Transaction): Promise<IntakeRecord | null> {
    const row = await this.#m.intakes.findOne({
      where: { client_id: clientId },
      order: [['submitted_at', 'DESC']],
      transaction,
    });
    if (!row) return null;
    const p = row.get({ plain: true });
    const answers = this.#sealer.open<IntakeAnswers>(p.answers_enc, 'intake_records', 'answers', p.id);
    return { ...answers, id: p.id, clientId: p.client_id, submittedAt: new Date(p.submitted_at) };
  }

  async insertSafetyCheck(c: SafetyCheck, transaction: Transaction): Promise<void> {
    forgetInRequest(this.#confirmed.prefix);
    await this.#m.safetyChecks.create(
      {
        id: c.id,
        client_id: c.clientId,
        appointment_id: c.appointmentId,
        details_enc: this.#sealer.seal(
          { location: c.location, callbackNumber: c.callbackNumber, atHome: c.atHome },
          'session_safety_checks',
          'details',
          c.id,
        ),
        created_at: c.createdAt,
      },
      { transaction },
    );
  }

  async latestSafetyCheck(
    clientId: string,
    transaction?: Transaction,
    appointmentId?: string,
  ): Promise<SafetyCheck | null> {
    const row = await this.#m.safetyChecks.findOne({
      where: appointmentId ? { client_id: clientId, appointment_id: appointmentId } : { client_id: clientId },
      order: [['created_at', 'DESC']],
      transaction,
    });
    if (!row) return null;
    const p = row.get({ plain: true });
    const d = this.#sealer.open<{ location: string; callbackNumber: string; atHome?: boolean | null }>(
      p.details_enc,
      'session_safety_checks',
      'details',
      p.id,
    );
    return {
      ...d,
      atHome: d.atHome ?? null,
      id: p.id,
      clientId: p.client_id,
      appointmentId: p.appointment_id,
      createdAt: new Date(p.created_at),
    };
  }

  /** Whether the client confirmed a check for this appointment (no decryption: nothing read). */
  async hasSafetyCheckFor(clientId: string, appointmentId: string): Promise<boolean> {
    return (await this.#confirmed.load(`${clientId}${PAIR}${appointmentId}`)) === true;
  }

  /** Forgets what this request remembered about confirmed checks (a purge deletes them). */
  forgetConfirmedChecks(): void {
    forgetInRequest(this.#confirmed.prefix);
  }

  async insertFeedback(f: Feedback, transaction: Transaction): Promise<void> {
    const { id, clientId, therapistId, appointmentId, createdAt, ...ratings } = f;
    await this.#m.feedback.create(
      {
        id,
        client_id: clientId,
        therapist_id: therapistId,
        appointment_id: appointmentId,
        ratings_enc: this.#sealer.seal(ratings, 'session_feedback', 'ratings', id),
        created_at: createdAt,
      },
      { transaction },
    );
  }

  async feedbackOf(clientId: string, therapistId: string, transaction?: Transaction): Promise<Feedback[]> {
    const rows = await this.#m.feedback.findAll({
      where: { client_id: clientId, therapist_id: therapistId },
      order: [['created_at', 'ASC']],
      transaction,
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      const ratings = this.#sealer.open<FeedbackRatings>(p.ratings_enc, 'session_feedback', 'ratings', p.id);
      return {
        ...ratings,
        id: p.id,
        clientId: p.client_id,
        therapistId: p.therapist_id,
        appointmentId: p.appointment_id,
        createdAt: new Date(p.created_at),
      };
    });
  }
}
