import { DataTypes, type Model, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import type { Licence, LicenceStatus } from './licence';

export type PractitionerKind = 'therapist' | 'peer_supporter';

interface ProfileRow {
  user_id: string;
  kind: string;
  bio: string;
  specialties: string;
  approaches: string;
  languages: string;
  formats: string;
  times: string;
  accepting_new_clients: boolean;
  licence_type: string | null;
  licence_number: string | null;
  licence_jurisdiction: string | null;
  licence_expires_on: string | null;
  licence_verified_at: Date | null;
  licence_verified_by: string | null;
  licence_verification_method: string | null;
  licence_warning_sent_for: string | null;
  updated_at: Date;
}

/** A profile as stored (the service adds the name and the computed licence status). */
export interface StoredProfile {
  readonly userId: string;
  readonly kind: PractitionerKind;
  readonly bio: string;
  readonly specialties: readonly string[];
  readonly approaches: readonly string[];
  readonly languages: readonly string[];
  readonly formats: readonly string[];
  readonly times: readonly string[];
  readonly acceptingNewClients: boolean;
  readonly licence: Licence;
  readonly licenceWarningSentFor: string | null;
  readonly updatedAt: Date;
}

/** A profile as the directory shows it. */
export interface PractitionerProfile extends StoredProfile {
  readonly displayName: string;
  readonly licenceStatus: LicenceStatus;
  /** Whether new clients may book: accepting, and (therapists) a verified licence in date. */
  readonly acceptsNewBookings: boolean;
}

const list = (text: string): string[] => {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
};

export class DirectoryRepository {
  readonly #profiles: ModelStatic<Model<ProfileRow>>;

  constructor(sequelize: Sequelize) {
    const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });
    this.#profiles = sequelize.define<Model<ProfileRow>>(
      'PractitionerProfile',
      {
        user_id: { type: DataTypes.STRING(36), primaryKey: true },
        kind: { type: DataTypes.STRING(20), allowNull: false },
        bio: { type: DataTypes.TEXT, allowNull: false },
        specialties: { type: DataTypes.TEXT, allowNull: false },
        approaches: { type: DataTypes.TEXT, allowNull: false },
        languages: { type: DataTypes.TEXT, allowNull: false },
        formats: { type: DataTypes.TEXT, allowNull: false },
        times: { type: DataTypes.TEXT, allowNull: false },
        accepting_new_clients: { type: DataTypes.BOOLEAN, allowNull: false },
        licence_type: s(80),
        licence_number: s(80),
        licence_jurisdiction: s(120),
        licence_expires_on: s(10),
        licence_verified_at: { type: DataTypes.DATE, allowNull: true },
        licence_verified_by: s(36),
        licence_verification_method: s(200),
        licence_warning_sent_for: s(10),
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      { tableName: 'practitioner_profiles' },
    );
  }

  #toProfile(p: ProfileRow): StoredProfile {
    return {
      userId: p.user_id,
      kind: p.kind === 'peer_supporter' ? 'peer_supporter' : 'therapist',
      bio: p.bio,
      specialties: list(p.specialties),
      approaches: list(p.approaches),
      languages: list(p.languages),
      formats: list(p.formats),
      times: list(p.times),
      acceptingNewClients: Boolean(p.accepting_new_clients),
      licence: {
        type: p.licence_type,
        number: p.licence_number,
        jurisdiction: p.licence_jurisdiction,
        expiresOn: p.licence_expires_on,
        verifiedAt: p.licence_verified_at ? new Date(p.licence_verified_at) : null,
        verifiedBy: p.licence_verified_by,
        verificationMethod: p.licence_verification_method,
      },
      licenceWarningSentFor: p.licence_warning_sent_for,
      updatedAt: new Date(p.updated_at),
    };
  }

  async byUserId(userId: string, transaction?: Transaction): Promise<StoredProfile | null> {
    const row = await this.#profiles.findByPk(userId, { transaction });
    return row ? this.#toProfile(row.get({ plain: true })) : null;
  }

  async all(transaction?: Transaction): Promise<StoredProfile[]> {
    const rows = await this.#profiles.findAll({ order: [['user_id', 'ASC']], transaction });
    return rows.map((r) => this.#toProfile(r.get({ plain: true })));
  }

  async upsert(p: StoredProfile, transaction?: Transaction): Promise<void> {
    await this.#profiles.upsert(
      {
        user_id: p.userId,
        kind: p.kind,
        bio: p.bio,
        specialties: JSON.stringify(p.specialties),
        approaches: JSON.stringify(p.approaches),
        languages: JSON.stringify(p.languages),
        formats: JSON.stringify(p.formats),
        times: JSON.stringify(p.times),
        accepting_new_clients: p.acceptingNewClients,
        licence_type: p.licence.type,
        licence_number: p.licence.number,
        licence_jurisdiction: p.licence.jurisdiction,
        licence_expires_on: p.licence.expiresOn,
        licence_verified_at: p.licence.verifiedAt,
        licence_verified_by: p.licence.verifiedBy,
        licence_verification_method: p.licence.verificationMethod,
        licence_warning_sent_for: p.licenceWarningSentFor,
        updated_at: p.updatedAt,
      },
      { transaction },
    );
  }
}
