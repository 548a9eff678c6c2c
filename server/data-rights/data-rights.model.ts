import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export type ErasureStatus = 'pending' | 'approved' | 'declined' | 'purged';

export interface ErasureRequestRow {
  id: string;
  client_id: string;
  status: ErasureStatus;
  requested_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  /** FieldCipher ciphertext, context `erasure_requests.decision_reason:<id>`. */
  decision_reason_enc: string | null;
  purge_after: Date | null;
  purged_at: Date | null;
}

export type ErasureModel = ModelStatic<Model<ErasureRequestRow>>;

/** `erasure_requests` (migration 20261126-1201-data-rights). */
export function defineErasureModel(sequelize: Sequelize): ErasureModel {
  return sequelize.define<Model<ErasureRequestRow>>(
    'ErasureRequest',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      client_id: { type: DataTypes.STRING(36), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      requested_at: { type: DataTypes.DATE, allowNull: false },
      decided_at: { type: DataTypes.DATE, allowNull: true },
      decided_by: { type: DataTypes.STRING(36), allowNull: true },
      decision_reason_enc: { type: DataTypes.TEXT, allowNull: true },
      purge_after: { type: DataTypes.DATE, allowNull: true },
      purged_at: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'erasure_requests', timestamps: false },
  );
}
