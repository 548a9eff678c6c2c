import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface ClinicPreferencesRow {
  id: string;
  data: string;
  smtp_password_enc: string | null;
  logo_version: string | null;
  updated_at: Date;
  updated_by: string | null;
}

export interface AdminModels {
  readonly preferences: ModelStatic<Model<ClinicPreferencesRow>>;
}

/** The table added by migration 20261126-1101. */
export function defineAdminModels(sequelize: Sequelize): AdminModels {
  const preferences = sequelize.define<Model<ClinicPreferencesRow>>(
    'ClinicPreferences',
    {
      id: { type: DataTypes.STRING(20), primaryKey: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      smtp_password_enc: { type: DataTypes.TEXT, allowNull: true },
      logo_version: { type: DataTypes.STRING(36), allowNull: true },
      updated_at: { type: DataTypes.DATE, allowNull: false },
      updated_by: { type: DataTypes.STRING(36), allowNull: true },
    },
    { tableName: 'clinic_preferences' },
  );
  return { preferences };
}
