import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * The durable mail outbox. A row is written in the same transaction as the change that causes the
 * email; the sender delivers it later. `idempotency_key` is unique so that re-running the cause
 * (a retried request, a restarted job) cannot queue the same email twice.
 */
export const migration: Migration = {
  name: '20261126-0002-outbox',
  async up({ queryInterface }) {
    await queryInterface.createTable('outbox_messages', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      idempotency_key: { type: DataTypes.STRING(200), allowNull: false, unique: true },
      to_address: { type: DataTypes.STRING(320), allowNull: false },
      subject: { type: DataTypes.STRING(300), allowNull: false },
      text_body: { type: DataTypes.TEXT, allowNull: false },
      html_body: { type: DataTypes.TEXT, allowNull: true },
      attachments_json: { type: DataTypes.TEXT, allowNull: true },
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'queued' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_attempt_at: { type: DataTypes.DATE, allowNull: false },
      lease_until: { type: DataTypes.DATE, allowNull: true },
      last_error: { type: DataTypes.STRING(500), allowNull: true },
      message_id: { type: DataTypes.STRING(300), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      sent_at: { type: DataTypes.DATE, allowNull: true },
    });
    await queryInterface.addIndex('outbox_messages', ['status', 'next_attempt_at'], {
      name: 'outbox_messages_due',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('outbox_messages');
  },
};
