import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface AuditEventRow {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  subject_id: string | null;
  ip: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointRow {
  id: string;
  verified_at: Date;
  ok: boolean;
  rows_checked: number;
  last_seq: number;
  last_hash: string;
  problem: string | null;
}

export interface AuditModels {
  readonly events: ModelStatic<Model<AuditEventRow>>;
  readonly checkpoints: ModelStatic<Model<AuditCheckpointRow>>;
}

export function defineAuditModels(sequelize: Sequelize): AuditModels {
  const events = sequelize.define<Model<AuditEventRow>>(
    'AuditEvent',
    {
      // BIGINT comes back as a string from PostgreSQL; the getter keeps `seq` a number everywhere.
      seq: {
        type: DataTypes.BIGINT,
        primaryKey: true,
        get(this: Model<AuditEventRow>) {
          return Number(this.getDataValue('seq'));
        },
      },
      at: { type: DataTypes.STRING(30), allowNull: false },
      actor_id: { type: DataTypes.STRING(36), allowNull: true },
      action: { type: DataTypes.STRING(100), allowNull: false },
      target_type: { type: DataTypes.STRING(50), allowNull: true },
      target_id: { type: DataTypes.STRING(100), allowNull: true },
      subject_id: { type: DataTypes.STRING(36), allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      details: { type: DataTypes.TEXT, allowNull: true },
      prev_hash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
    },
    { tableName: 'audit_events' },
  );
  const checkpoints = sequelize.define<Model<AuditCheckpointRow>>(
    'AuditCheckpoint',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      verified_at: { type: DataTypes.DATE, allowNull: false },
      ok: { type: DataTypes.BOOLEAN, allowNull: false },
      rows_checked: {
        type: DataTypes.BIGINT,
        allowNull: false,
        get(this: Model<AuditCheckpointRow>) {
          return Number(this.getDataValue('rows_checked'));
        },
      },
      last_seq: {
        type: DataTypes.BIGINT,
        allowNull: false,
        get(this: Model<AuditCheckpointRow>) {
          return Number(this.getDataValue('last_seq'));
        },
      },
      last_hash: { type: DataTypes.STRING(64), allowNull: false },
      problem: { type: DataTypes.STRING(500), allowNull: true },
    },
    { tableName: 'audit_checkpoints' },
  );
  return { events, checkpoints };
}
