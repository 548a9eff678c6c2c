import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { OutboxStatus } from './mail.types';

export interface OutboxRow {
  id: string;
  idempotency_key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** BCP 47 language the email is written in; null on rows from before languages (English). */
  language: string | null;
  attachments_json: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  message_id: string;
  created_at: Date;
  sent_at: Date | null;
}

export type OutboxModel = ModelStatic<Model<OutboxRow>>;

export function defineOutboxModel(sequelize: Sequelize): OutboxModel {
  return sequelize.define<Model<OutboxRow>>(
    'OutboxMessage',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      idempotency_key: { type: DataTypes.STRING(200), allowNull: false, unique: true },
      to_address: { type: DataTypes.STRING(320), allowNull: false },
      subject: { type: DataTypes.STRING(300), allowNull: false },
      text_body: { type: DataTypes.TEXT, allowNull: false },
      html_body: { type: DataTypes.TEXT, allowNull: true },
      language: { type: DataTypes.STRING(16), allowNull: true },
      attachments_json: { type: DataTypes.TEXT, allowNull: true },
      status: { type: DataTypes.STRING(20), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      next_attempt_at: { type: DataTypes.DATE, allowNull: false },
      lease_until: { type: DataTypes.DATE, allowNull: true },
      last_error: { type: DataTypes.STRING(500), allowNull: true },
      message_id: { type: DataTypes.STRING(300), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      sent_at: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'outbox_messages' },
  );
}
