import type { Sequelize, Transaction } from 'sequelize';
import type { AccountsService } from '../accounts';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, issueProblems, phrase, type Problem } from '../shared/errors';
import { fieldsRefusal } from '../shared/form-refusal';
import type { FieldCipher } from '../shared/field-encryption';
import { newId } from '../shared/ids';
import { isAdmin, type AdminActor } from './admin.policy';
import type { AdminModels } from './admin.model';
import {
  DEFAULT_COLOURS,
  contrastProblems,
  crisisResourcesFormSchema,
  settingsFormSchema,
  smtpFormSchema,
  storedPreferencesSchema,
  type BrandColours,
  type ClinicPreferences,
  type SmtpPreferences,
} from './clinic-preferences.schemas';
import type { LogoStore } from './logo-store';

const ROW_ID = 'clinic';
const PASSWORD_CONTEXT = 'clinic_preferences.smtp_password';

/** The server's own settings (environment), used wherever the clinic has not chosen otherwise. */
export interface PreferenceDefaults {
  /** The operator's text (CRISIS_RESOURCES); undefined: Haven's own, in each reader's language. */
  readonly crisisResources: string | undefined;
  /** The operator's text (MESSAGING_EXPECTATIONS); undefined: Haven's own, in each reader's language. */
  readonly messagingExpectations: string | undefined;
  readonly directoryVisibility: 'public' | 'signed_in';
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly smtpUrl: string | undefined;
}

const EMPTY: ClinicPreferences = storedPreferencesSchema.parse({});

/** The form refused, each problem (a resource key) under its field. */
const invalid = (errors: Record<string, Problem>): AppError =>
  fieldsRefusal('admin.settings_invalid', errors);

/**
 * The clinic's own settings, made in the admin console. Read synchronously (`current`, the getters)
 * because every page and email needs them: the row is loaded at start-up and after each change.
 * With several nodes, a change made on one is announced (`onChange`) and the others `reload()`.
 */
export class ClinicPreferencesService {
  readonly #sequelize: Sequelize;
  readonly #models: AdminModels;
  readonly #accounts: AccountsService;
  readonly #audit: AuditTrail;
  readonly #cipher: FieldCipher;
  readonly #clock: Clock;
  readonly #defaults: PreferenceDefaults;
  readonly #logo: LogoStore;
  #prefs: ClinicPreferences = EMPTY;
  #smtpPasswordEnc: string | null = null;
  #logoVersion: string | null = null;
  readonly #smtpListeners: Array<(url: string | undefined) => void> = [];
  readonly #changeListeners: Array<() => void> = [];

  constructor(deps: {
    sequelize: Sequelize;
    models: AdminModels;
    accounts: AccountsService;
    audit: AuditTrail;
    cipher: FieldCipher;
    clock: Clock;
    defaults: PreferenceDefaults;
    logo: LogoStore;
  }) {
    this.#sequelize = deps.sequelize;
    this.#models = deps.models;
    this.#accounts = deps.accounts;
    this.#audit = deps.audit;
    this.#cipher = deps.cipher;
    this.#clock = deps.clock;
    this.#defaults = deps.defaults;
    this.#logo = deps.logo;
  }

  async load(): Promise<void> {
    const row = await this.#models.preferences.findByPk(ROW_ID);
    if (!row) return;
    const plain = row.get({ plain: true });
    let data: unknown = {};
    try {
      data = JSON.parse(plain.data);
    } catch {
      data = {};
    }
    this.#prefs = storedPreferencesSchema.parse(data);
    this.#smtpPasswordEnc = plain.smtp_password_enc;
    this.#logoVersion = plain.logo_version;
  }

  /**
   * Reads the row again after another node changed it; tells the SMTP listeners if the mail server
   * changed. Announces nothing itself (the node that made the change already did).
   */
  async reload(): Promise<void> {
    const before = this.smtpUrl;
    await this.load();
    if (this.smtpUrl !== before) this.#announceSmtp();
  }

  /** Called after every change saved through this service (this node's changes only). */
  onChange(listener: () => void): void {
    this.#changeListeners.push(listener);
  }

  get current(): ClinicPreferences {
    return this.#prefs;
  }

  get colours(): BrandColours {
    return this.#prefs.colours ?? DEFAULT_COLOURS;
  }

  get logoVersion(): string | null {
    return this.#logoVersion;
  }

  /** The clinic's default language, always one it offers (an old row may name one it stopped offering). */
  get defaultLanguage(): string {
    const { languages, defaultLanguage } = this.#prefs;
    return languages.includes(defaultLanguage) ? defaultLanguage : (languages[0] ?? 'en');
  }

  /**
   * The clinic's default crisis text (the console's, else the operator's), or null: then each reader
   * is shown Haven's own sentence in their language (the crisis service writes it).
   */
  get crisisResources(): string | null {
    return this.#prefs.crisisResources ?? this.#defaults.crisisResources ?? null;
  }

  /** The crisis text written in the console (the settings form's box), or null. */
  get clinicCrisisResources(): string | null {
    return this.#prefs.crisisResources;
  }

  /** The operator's crisis text (CRISIS_RESOURCES), shown while the console has none; or null. */
  get serverCrisisResources(): string | null {
    return this.#defaults.crisisResources ?? null;
  }

  /**
   * What a reader of `language` is shown in a crisis: the clinic's text for their language, else the
   * default text (the clinic's, else the server's), else null for Haven's own in their language.
   */
  crisisResourcesFor(language: string): string | null {
    const primary = language.toLowerCase().split(/[-_]/)[0] ?? '';
    const own =
      this.#prefs.crisisResourcesByLanguage[language] ?? this.#prefs.crisisResourcesByLanguage[primary];
    return own ?? this.crisisResources;
  }

  /** The crisis texts written per language (not including the default one). */
  get crisisResourcesByLanguage(): Readonly<Record<string, string>> {
    return this.#prefs.crisisResourcesByLanguage;
  }

  /** An admin writes (or, with empty text, removes) the crisis resources for readers of one language; audited. */
  async setCrisisResources(actor: AdminActor, input: Record<string, unknown>): Promise<void> {
    this.#requireAdmin(actor);
    const parsed = crisisResourcesFormSchema.safeParse(input);
    if (!parsed.success) throw invalid(issueProblems(parsed.error.issues));
    const { language, text } = parsed.data;
    if (!this.#prefs.languages.includes(language)) {
      throw invalid({ language: phrase('errors:field.languageOffered') });
    }
    const byLanguage = { ...this.#prefs.crisisResourcesByLanguage };
    if (text) byLanguage[language] = text;
    else delete byLanguage[language];
    const next: ClinicPreferences = { ...this.#prefs, crisisResourcesByLanguage: byLanguage };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#write(actor, { prefs: next }, transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: text ? 'clinic_settings.crisis_resources_set' : 'clinic_settings.crisis_resources_removed',
          targetType: 'clinic_settings',
          targetId: ROW_ID,
          ip: actor.ip ?? null,
          details: { language },
        },
        transaction,
      );
    });
    this.#prefs = next;
  }

  /**
   * The clinic's own words above every message composer (the console's, else the operator's), or
   * null: then the page shows Haven's own sentence in the reader's language, not English to all.
   */
  get messagingExpectations(): string | null {
    return this.#prefs.messagingExpectations ?? this.#defaults.messagingExpectations ?? null;
  }

  /** The messaging words written in the console (the settings form's box), or null. */
  get clinicMessagingExpectations(): string | null {
    return this.#prefs.messagingExpectations;
  }

  /** The operator's messaging words (MESSAGING_EXPECTATIONS), shown while the console has none; or null. */
  get serverMessagingExpectations(): string | null {
    return this.#defaults.messagingExpectations ?? null;
  }

  get directoryVisibility(): 'public' | 'signed_in' {
    const open = this.#prefs.directoryPublic;
    if (open === null) return this.#defaults.directoryVisibility;
    return open ? 'public' : 'signed_in';
  }

  get sessionIdleMs(): number {
    const m = this.#prefs.sessionIdleMinutes;
    return m === null ? this.#defaults.sessionIdleMs : m * 60_000;
  }

  get sessionAbsoluteMs(): number {
    const h = this.#prefs.sessionAbsoluteHours;
    return h === null ? this.#defaults.sessionAbsoluteMs : h * 3_600_000;
  }

  /** Where mail goes: the console's SMTP server when set, else SMTP_URL, else nowhere (mail waits). */
  get smtpUrl(): string | undefined {
    const smtp = this.#prefs.smtp;
    if (!smtp) return this.#defaults.smtpUrl;
    return smtpUrlOf(smtp, this.#smtpPassword());
  }

  /** True when the console (not the environment) names the SMTP server. */
  get smtpFromConsole(): boolean {
    return this.#prefs.smtp !== null;
  }

  get smtpHasPassword(): boolean {
    return this.#smtpPasswordEnc !== null;
  }

  onSmtpChange(listener: (url: string | undefined) => void): void {
    this.#smtpListeners.push(listener);
  }

  #smtpPassword(): string | null {
    return this.#smtpPasswordEnc ? this.#cipher.decrypt(this.#smtpPasswordEnc, PASSWORD_CONTEXT) : null;
  }

  async #write(
    actor: AdminActor,
    changes: {
      prefs?: ClinicPreferences;
      smtpPasswordEnc?: string | null;
      logoVersion?: string | null;
    },
    transaction: Transaction,
  ): Promise<void> {
    const values = {
      data: JSON.stringify(changes.prefs ?? this.#prefs),
      smtp_password_enc:
        changes.smtpPasswordEnc === undefined ? this.#smtpPasswordEnc : changes.smtpPasswordEnc,
      logo_version: changes.logoVersion === undefined ? this.#logoVersion : changes.logoVersion,
      updated_at: this.#clock.now(),
      updated_by: actor.id,
    };
    const existing = await this.#models.preferences.findByPk(ROW_ID, { transaction });
    if (existing) await this.#models.preferences.update(values, { where: { id: ROW_ID }, transaction });
    else await this.#models.preferences.create({ id: ROW_ID, ...values }, { transaction });
  }

  #requireAdmin(actor: AdminActor): void {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
  }

  /**
   * Saves the settings form: every field is checked (all problems reported at once), the colours must
   * keep text readable, and the audit row names which settings changed (not their text).
   */
  async update(actor: AdminActor, input: Record<string, unknown>): Promise<void> {
    this.#requireAdmin(actor);
    const parsed = settingsFormSchema.safeParse(input);
    const errors = parsed.success ? {} : issueProblems(parsed.error.issues);
    if (parsed.success) Object.assign(errors, contrastProblems(parsed.data));
    if (!parsed.success || Object.keys(errors).length > 0) throw invalid(errors);
    const f = parsed.data;
    const colours: BrandColours = {
      primary: f.primary,
      primaryText: f.primaryText,
      background: f.background,
      text: f.text,
    };
    const next: ClinicPreferences = {
      ...this.#prefs,
      timeZone: f.timeZone,
      languages: [...new Set(f.languages)],
      defaultLanguage:
        f.defaultLanguage ||
        (f.languages.includes(this.defaultLanguage) ? this.defaultLanguage : f.languages[0]!),
      // Empty: no text of the clinic's own; readers get Haven's sentence in their language.
      crisisResources: f.crisisResources || null,
      cancellationPolicy: f.cancellationPolicy,
      messagingExpectations: f.messagingExpectations || null,
      directoryPublic: f.directoryPublic,
      sessionIdleMinutes: f.sessionIdleMinutes,
      sessionAbsoluteHours: f.sessionAbsoluteHours,
      colours,
    };
    const before = { ...this.#prefs, colours: this.colours } as Record<string, unknown>;
    const changed = Object.keys(next).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify((next as unknown as Record<string, unknown>)[k]),
    );
    const clinic = await this.#accounts.clinic.get();
    if (clinic.clinicName !== f.clinicName) changed.push('clinicName');
    if (clinic.selfSignup !== f.selfSignup) changed.push('selfSignup');
    await this.#sequelize.transaction(async (transaction) => {
      await this.#accounts.clinic.update({ clinicName: f.clinicName, selfSignup: f.selfSignup }, transaction);
      await this.#write(actor, { prefs: next }, transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'clinic_settings.updated',
          targetType: 'clinic_settings',
          targetId: ROW_ID,
          ip: actor.ip ?? null,
          details: { changed: changed.join(',') || 'nothing' },
        },
        transaction,
      );
    });
    this.#prefs = next;
    this.#announceChange();
  }

  /** The SMTP form; the password is encrypted at rest and an empty password field keeps the old one. */
  async updateSmtp(actor: AdminActor, input: Record<string, unknown>): Promise<void> {
    this.#requireAdmin(actor);
    const parsed = smtpFormSchema.safeParse(input);
    if (!parsed.success) throw invalid(issueProblems(parsed.error.issues));
    const { host, port, security, username, password } = parsed.data;
    const smtp: SmtpPreferences = { host, port, security, username: username || null };
    const passwordEnc = !username
      ? null
      : password
        ? this.#cipher.encrypt(password, PASSWORD_CONTEXT)
        : this.#smtpPasswordEnc;
    const next = { ...this.#prefs, smtp };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#write(actor, { prefs: next, smtpPasswordEnc: passwordEnc }, transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'clinic_settings.smtp_updated',
          targetType: 'clinic_settings',
          targetId: ROW_ID,
          ip: actor.ip ?? null,
          details: { host, port, security, passwordChanged: Boolean(password) },
        },
        transaction,
      );
    });
    this.#prefs = next;
    this.#smtpPasswordEnc = passwordEnc;
    this.#announceSmtp();
    this.#announceChange();
  }

  /** Forgets the console's SMTP server: SMTP_URL (if any) applies again. */
  async clearSmtp(actor: AdminActor): Promise<void> {
    this.#requireAdmin(actor);
    const next = { ...this.#prefs, smtp: null };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#write(actor, { prefs: next, smtpPasswordEnc: null }, transaction);
      await this.#audit.record(
        { actorId: actor.id, action: 'clinic_settings.smtp_cleared', ip: actor.ip ?? null },
        transaction,
      );
    });
    this.#prefs = next;
    this.#smtpPasswordEnc = null;
    this.#announceSmtp();
    this.#announceChange();
  }

  #announceSmtp(): void {
    const url = this.smtpUrl;
    for (const listener of this.#smtpListeners) listener(url);
  }

  #announceChange(): void {
    for (const listener of this.#changeListeners) listener();
  }

  async saveLogo(actor: AdminActor, bytes: Buffer): Promise<void> {
    this.#requireAdmin(actor);
    await this.#logo.save(bytes);
    const version = newId();
    await this.#sequelize.transaction(async (transaction) => {
      await this.#write(actor, { logoVersion: version }, transaction);
      await this.#audit.record(
        { actorId: actor.id, action: 'clinic_settings.logo_uploaded', ip: actor.ip ?? null },
        transaction,
      );
    });
    this.#logoVersion = version;
    this.#announceChange();
  }

  async removeLogo(actor: AdminActor): Promise<void> {
    this.#requireAdmin(actor);
    await this.#sequelize.transaction(async (transaction) => {
      await this.#write(actor, { logoVersion: null }, transaction);
      await this.#audit.record(
        { actorId: actor.id, action: 'clinic_settings.logo_removed', ip: actor.ip ?? null },
        transaction,
      );
    });
    this.#logoVersion = null;
    await this.#logo.remove();
    this.#announceChange();
  }

  readLogo(): Promise<Buffer | null> {
    return this.#logoVersion ? this.#logo.read() : Promise.resolve(null);
  }
}

/** `smtp://` (STARTTLS when offered, or plain), `smtps://` (TLS from the start). */
export function smtpUrlOf(smtp: SmtpPreferences, password: string | null): string {
  const scheme = smtp.security === 'tls' ? 'smtps' : 'smtp';
  const auth = smtp.username
    ? `${encodeURIComponent(smtp.username)}${password ? `:${encodeURIComponent(password)}` : ''}@`
    : '';
  const host = smtp.host.includes(':') && !smtp.host.startsWith('[') ? `[${smtp.host}]` : smtp.host;
  // STARTTLS required: the transport refuses to send in the clear if the server does not offer it.
  const query = smtp.security === 'starttls' ? '?requireTLS=true' : '';
  return `${scheme}://${auth}${host}:${smtp.port}${query}`;
}
