import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const userRef = () => ({
  type: DataTypes.STRING(36),
  allowNull: false,
  primaryKey: true,
  references: { model: 'users', key: 'id' },
  onDelete: 'CASCADE',
});

/**
 * Care that a confirmed appointment began (issue 14, scheduling/care-rule.ts): which appointment,
 * so that cancelling that appointment before anything else happened between the two can end the
 * care it began, and nothing an admin assigned. One row per care relationship, beside
 * care_assignments (a table of its own, not a column there: SQLite drops a column by rebuilding
 * the table, which would lose care_assignments' composite key, cascades and index on the way down).
 * No foreign key to the appointment: appointments are purged on their own schedule after an erasure.
 */
export const migration: Migration = {
  name: '20261203-0101-care-begun-by-appointment',
  async up({ queryInterface }) {
    await queryInterface.createTable('care_begun_by_appointment', {
      therapist_id: userRef(),
      client_id: userRef(),
      appointment_id: { type: DataTypes.STRING(36), allowNull: false },
      begun_at: { type: DataTypes.DATE, allowNull: false },
    });
    // The erasure purge finds a client's rows by client alone (the key leads with the therapist).
    await queryInterface.addIndex('care_begun_by_appointment', ['client_id'], {
      name: 'care_begun_by_appointment_client',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('care_begun_by_appointment');
  },
};
