import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { placeholders } from '../i18n/resource-keys';
import { AppError, phrase } from '../shared/errors';
import { fieldRefusal } from '../shared/form-refusal';
import { isAdmin, type AdminActor } from './admin.policy';

/** The interface strings Haven ships, as the override page and its checks need them. */
export interface ShippedStrings {
  /** Languages the clinic may write overrides for (the languages Haven ships). */
  languages(): readonly string[];
  /** Every key English has (the reference language: every other language has the same keys). */
  keys(): readonly string[];
  /** The shipped text of a key in a language (English when the language lacks it), or undefined. */
  text(language: string, key: string): string | undefined;
}

/** Where an override takes effect at once (the running translator): null restores the shipped text. */
export type OverrideSink = (language: string, key: string, value: string | null) => void;

/** One string as the override page lists it. */
export interface StringRow {
  readonly key: string;
  readonly shipped: string;
  /** The clinic's text, or null when the shipped one is in use. */
  readonly override: string | null;
}

interface OverrideRow {
  language: string;
  string_key: string;
  value: string;
  updated_at: Date;
  updated_by: string | null;
}
type OverrideModel = ModelStatic<Model<OverrideRow>>;

const MAX_LENGTH = 5000;

/**
 * A clinic's own wording for any interface string, per language (issue 20). Stored in
 * `string_overrides`, applied on top of the shipped strings through the sink the moment it is saved
 * (and at start-up), so no restart is needed; every change and reset is audited with the old and
 * new text. Clinical instruments (the PHQ-9 and GAD-7 wording) are not interface strings and cannot
 * be overridden here. Overrides are held by the process that loaded them: a second Haven process
 * sees a change after its next start.
 */
export class StringOverridesService {
  readonly #model: OverrideModel;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #shipped: ShippedStrings;
  readonly #sink: OverrideSink;
  readonly #sequelize: Sequelize;

  constructor(deps: {
    sequelize: Sequelize;
    audit: AuditTrail;
    clock: Clock;
    shipped: ShippedStrings;
    sink: OverrideSink;
  }) {
    this.#sequelize = deps.sequelize;
    this.#model = deps.sequelize.define<Model<OverrideRow>>(
      'StringOverride',
      {
        language: { type: DataTypes.STRING(16), primaryKey: true },
        string_key: { type: DataTypes.STRING(200), primaryKey: true },
        value: { type: DataTypes.TEXT, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
        updated_by: { type: DataTypes.STRING(36), allowNull: true },
      },
      { tableName: 'string_overrides' },
    );
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#shipped = deps.shipped;
    this.#sink = deps.sink;
  }

  /** Applies every stored override (start-up). One for a key or language no longer shipped is skipped. */
  async load(): Promise<number> {
    const rows = (await this.#model.findAll()).map((r) => r.get({ plain: true }));
    let applied = 0;
    for (const row of rows) {
      if (!this.#isShipped(row.language, row.string_key)) continue;
      this.#sink(row.language, row.string_key, row.value);
      applied += 1;
    }
    return applied;
  }

  /** The strings of one language, each with the clinic's override if any; `filter` matches key or text. */
  async list(actor: AdminActor, language: string, filter = ''): Promise<StringRow[]> {
    this.#requireAdmin(actor);
    this.#requireLanguage(language);
    const overrides = new Map(
      (await this.#model.findAll({ where: { language } })).map((r) => {
        const row = r.get({ plain: true });
        return [row.string_key, row.value] as const;
      }),
    );
    const needle = filter.trim().toLowerCase();
    return this.#shipped
      .keys()
      .map((key) => ({
        key,
        shipped: this.#shipped.text(language, key) ?? '',
        override: overrides.get(key) ?? null,
      }))
      .filter(
        (row) =>
          !needle ||
          row.key.toLowerCase().includes(needle) ||
          row.shipped.toLowerCase().includes(needle) ||
          (row.override ?? '').toLowerCase().includes(needle),
      );
  }

  /** Sets the clinic's text for a key in a language; audited with the text it replaces. */
  async set(actor: AdminActor, language: string, key: string, value: string): Promise<void> {
    this.#requireAdmin(actor);
    this.#requireLanguage(language);
    const shipped = this.#requireKey(language, key);
    const text = value.replace(/\r\n/g, '\n').trim();
    if (!text || text.length > MAX_LENGTH) {
      throw fieldRefusal(
        'admin.override_length',
        'value',
        phrase('admin:problem.overrideLength', { max: MAX_LENGTH }),
      );
    }
    const wanted = [...new Set(placeholders(shipped))];
    const got = [...new Set(placeholders(text))];
    if (wanted.join(',') !== got.join(',')) {
      // The placeholders are code the text must keep as written, so they are listed as code, not as prose.
      const problem = wanted.length
        ? phrase('admin:problem.keepPlaceholders', { placeholders: wanted.map((p) => `{{${p}}}`).join(', ') })
        : phrase('admin:problem.noPlaceholders');
      throw fieldRefusal('admin.override_placeholders', 'value', problem);
    }
    // Saving the shipped text is going back to it: no row for a "change" that changes nothing.
    if (text === shipped) {
      await this.reset(actor, language, key);
      return;
    }
    await this.#sequelize.transaction(async (tx) => {
      const existing = (
        await this.#model.findOne({ where: { language, string_key: key }, transaction: tx })
      )?.get({ plain: true });
      const old = existing?.value ?? null;
      if (old === text) return;
      if (existing) {
        await this.#model.update(
          { value: text, updated_at: this.#clock.now(), updated_by: actor.id },
          { where: { language, string_key: key }, transaction: tx },
        );
      } else {
        await this.#model.create(
          { language, string_key: key, value: text, updated_at: this.#clock.now(), updated_by: actor.id },
          { transaction: tx },
        );
      }
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'i18n.override.set',
          targetType: 'string',
          targetId: `${language}:${key}`,
          ip: actor.ip ?? null,
          details: { language, key, old: old ?? shipped, new: text, wasShipped: old === null },
        },
        tx,
      );
    });
    this.#sink(language, key, text);
  }

  /** Back to the shipped text (the reset button); audited with the text removed. No override: nothing to do. */
  async reset(actor: AdminActor, language: string, key: string): Promise<boolean> {
    this.#requireAdmin(actor);
    this.#requireLanguage(language);
    const shipped = this.#requireKey(language, key);
    const removed = await this.#sequelize.transaction(async (tx) => {
      const existing = (
        await this.#model.findOne({ where: { language, string_key: key }, transaction: tx })
      )?.get({ plain: true });
      if (!existing) return false;
      await this.#model.destroy({ where: { language, string_key: key }, transaction: tx });
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'i18n.override.reset',
          targetType: 'string',
          targetId: `${language}:${key}`,
          ip: actor.ip ?? null,
          details: { language, key, old: existing.value, new: shipped },
        },
        tx,
      );
      return true;
    });
    if (removed) this.#sink(language, key, null);
    return removed;
  }

  #isShipped(language: string, key: string): boolean {
    return this.#shipped.languages().includes(language) && this.#shipped.text(language, key) !== undefined;
  }

  #requireAdmin(actor: AdminActor): void {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
  }

  #requireLanguage(language: string): void {
    if (!this.#shipped.languages().includes(language)) {
      throw fieldRefusal(
        'admin.unknown_language',
        'language',
        phrase('admin:problem.noSuchLanguage', { language }),
      );
    }
  }

  /** The shipped text of a key, or a clear error naming the key that does not exist. */
  #requireKey(language: string, key: string): string {
    const shipped = this.#shipped.keys().includes(key) ? this.#shipped.text(language, key) : undefined;
    if (shipped === undefined) {
      throw fieldRefusal('admin.unknown_string_key', 'key', phrase('admin:problem.noSuchString', { key }));
    }
    return shipped;
  }
}
